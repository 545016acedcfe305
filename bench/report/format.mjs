// Number formatting for tables: a few significant digits, in the scenario's unit.
import { vsFloor, vsOpenai } from './ratios.mjs';

export function formatValue(value, unit) {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'checkpoints/s') return `${Math.round(value).toLocaleString('en-US')}`;
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

// A ratio of a non-positive value (a calibration row's difference within noise) means nothing.
export const formatRatio = (value) =>
  value === undefined || !(value > 0) || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}×`;

/**
 * A scenario as a header row plus string rows, for both the console and Markdown. The floor
 * column is left out where the scenario has no floor row (sizes, spawn times).
 */
export function scenarioTable(scenario) {
  // A scenario whose figures are not one value per row (rate-limit) brings its own table.
  if (scenario.table) return scenario.table;
  const hasFloor = scenario.rows.some((row) => row.id === 'floor');
  const spread = (row) =>
    row.samples > 1
      ? `${formatValue(row.min, scenario.unit)}–${formatValue(row.max, scenario.unit)}`
      : '—';
  const header = ['contender', `median (${scenario.unit})`, 'min–max', 'n'];
  if (hasFloor) header.push('cost vs fetch floor');
  header.push('gain vs openai');
  const rows = scenario.rows.map((row) => {
    const cells = [
      row.name,
      formatValue(row.median, scenario.unit),
      spread(row),
      String(row.samples),
    ];
    if (hasFloor) cells.push(formatRatio(vsFloor(scenario, row.id)));
    cells.push(formatRatio(vsOpenai(scenario, row.id)));
    return cells;
  });
  return { header, rows };
}
