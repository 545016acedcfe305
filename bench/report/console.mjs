// Plain-text tables for the terminal.
import { scenarioTable } from './format.mjs';

function columns(header, rows) {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function printScenario(scenario) {
  const { header, rows } = scenarioTable(scenario);
  console.log(`\n## ${scenario.title}\n${columns(header, rows)}`);
  if (scenario.checks) console.log(`checks: ${JSON.stringify(scenario.checks)}`);
  for (const line of scenario.details ?? []) console.log(line);
}

export function printTargets(targets) {
  const rows = targets.map((t) => [t.target, t.measured, t.pass ? 'PASS' : 'MISS']);
  console.log(`\n## Targets\n${columns(['target', 'measured', ''], rows)}`);
}
