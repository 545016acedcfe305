// Ratios shared by the tables and the targets. "Cost" is time-like whatever the unit: for a
// higher-is-better unit (checkpoints/s) it is the inverse. So, for any scenario:
//   vsFloor  = cost(row) / cost(floor)   1.00× = as cheap as fetch + JSON.parse; above = slower
//   vsOpenai = cost(openai) / cost(row)  above 1 = that many times faster (smaller) than openai
// Where both rows were measured in the same interleaved rounds (`values`), the ratio is the median
// of the per-round ratios: neighbours in time share the machine's mood, so on a noisy machine this
// is steadier than a ratio of two medians taken over different moments.
import { median } from '../lib/stats.mjs';

export function findRow(scenario, id) {
  return scenario?.rows.find((row) => row.id === id);
}

const cost = (scenario, value) => (scenario.better === 'higher' ? 1 / value : value);

export function ratio(scenario, id, baseId) {
  const row = findRow(scenario, id);
  const base = findRow(scenario, baseId);
  if (!row || !base) return undefined;
  if (row.values && base.values && row.values.length === base.values.length) {
    return median(row.values.map((v, i) => cost(scenario, v) / cost(scenario, base.values[i])));
  }
  return cost(scenario, row.median) / cost(scenario, base.median);
}

export const vsFloor = (scenario, id) => ratio(scenario, id, 'floor');
export const vsOpenai = (scenario, id) => ratio(scenario, 'openai', id);
