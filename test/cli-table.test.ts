// Tables that fit: the layout's documented narrowing order (unit), and the built CLI fitting
// its output to a terminal, to COLUMNS, or to nothing; --columns, --wide, --sort, --field.
import { describe, expect, it } from 'vitest';
import { renderTable } from '../src/cli/format.js';
import {
  abbreviateMetric,
  columnsNamed,
  defaultColumns,
  presentMetrics,
} from '../src/cli/table-columns.js';
import { layoutTable, MIN_TEXT_WIDTH } from '../src/cli/table-layout.js';
import { narrowDate } from '../src/cli/text.js';
import { truncateMiddle } from '../src/cli/width.js';
import { generateCheckpoints } from '../src/mock/index.js';
import { cliEnv, runCli, runCliInTerminal } from './helpers/cli.js';
import { servePages, serverPool } from './helpers/http.js';

const rows = generateCheckpoints({ jobId: 'ftjob-t', count: 40, seed: 3 });
const columns = defaultColumns(presentMetrics(rows));
const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));
const headerOf = (text: string) => text.split('\n')[0] ?? '';

describe('layout (pure)', () => {
  it('keeps every column whole when there is no limit', () => {
    const text = renderTable(rows, { width: Number.POSITIVE_INFINITY });
    expect(headerOf(text)).toMatch(
      /^step {2}created +train_loss .* full_valid_mean_token_accuracy {2}model checkpoint$/,
    );
    expect(text).toContain(rows[0]?.fine_tuned_model_checkpoint);
  });

  it('narrows in the documented order, never dropping the step or a metric', () => {
    const seen: string[] = [];
    for (let width = 220; width >= 30; width--) {
      const layout = layoutTable(rows, columns, width);
      const text = renderTable(rows, { width });
      if (layout.kind === 'blocks') {
        if (seen.at(-1) !== 'blocks') seen.push('blocks');
        expect(text).toMatch(/^step: \d+\ncreated: \S+Z\ntrain_loss: /);
        continue;
      }
      expect(widest(text)).toBeLessThanOrEqual(width);
      const names = layout.columns.map((p) => p.column.name);
      expect(names.slice(0, 1)).toEqual(['step']);
      for (const metric of presentMetrics(rows)) expect(names).toContain(metric);
      const created = layout.columns.find((p) => p.column.name === 'created');
      const model = layout.columns.find((p) => p.column.name === 'model');
      const state = [
        layout.columns.some((p) => p.header !== p.column.header) ? 'short' : 'full',
        created === undefined ? 'no-date' : `date${created.dateLevel}`,
        model === undefined ? 'no-model' : Number.isFinite(model.maxWidth) ? 'cut-model' : 'model',
      ].join(' ');
      if (seen.at(-1) !== state) seen.push(state);
    }
    expect(seen).toEqual([
      'short date0 model',
      'short date1 model',
      'short date1 cut-model',
      // Dropping the model leaves room for the whole date again.
      'short date0 no-model',
      'short date1 no-model',
      'short date2 no-model',
      'short no-date no-model',
      'blocks',
    ]);
  });

  it('abbreviates metric headers by rule, and says so in --help', async () => {
    expect(abbreviateMetric('full_valid_mean_token_accuracy')).toBe('fv_acc');
    expect(abbreviateMetric('train_loss')).toBe('t_loss');
    expect(abbreviateMetric('valid_mean_token_accuracy')).toBe('v_acc');
    const help = await runCli(['list', '--help'], { PATH: '' });
    expect(help.stdout).toContain('fv_acc=full_valid_mean_token_accuracy');
    expect(help.stdout).toMatch(
      /1\. metric headers are\s+abbreviated; 2\. created loses its seconds/,
    );
  });

  it('shortens text in the middle, keeping the tail, and dates by level', () => {
    const name = 'ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:sAAd1lqw:ckpt-step-100';
    const cut = truncateMiddle(name, MIN_TEXT_WIDTH);
    expect(cut).toHaveLength(MIN_TEXT_WIDTH);
    expect(cut).toMatch(/^ft:gp…t-step-100$/);
    expect(narrowDate('2024-07-23T18:41:58Z', 1)).toBe('2024-07-23 18:41');
    expect(narrowDate('2024-07-23T18:41:58Z', 2)).toBe('07-23 18:41');
    expect(narrowDate('99999999999999', 2)).toBe('99999999999999');
  });

  it('never drops columns the user chose', () => {
    const chosen = columnsNamed(['id', 'step', 'model']);
    const layout = layoutTable(rows, chosen, 30, false);
    expect(layout.kind).toBe('blocks');
    const wide = layoutTable(rows, chosen, 70, false);
    expect(wide.kind === 'table' && wide.columns.map((p) => p.column.name)).toEqual([
      'id',
      'step',
      'model',
    ]);
  });
});

describe('the built CLI fits its table', () => {
  const serve = serverPool();
  const job = generateCheckpoints({ jobId: 'ftjob-t', count: 30, seed: 9 });
  const served = [...job].sort((a, b) => b.created_at - a.created_at);

  it('to COLUMNS when stdout is not a terminal', async () => {
    const server = await serve(servePages(served));
    const env = cliEnv(server.url, { COLUMNS: '80' });
    const result = await runCli(['list', 'ftjob-t', '--all'], env);
    expect(result.code).toBe(0);
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
    expect(headerOf(result.stdout)).toMatch(
      /^ *step {2}created +t_loss +t_acc +v_loss +v_acc +fv_loss +fv_acc$/,
    );
    expect(result.stdout.trim().split('\n')).toHaveLength(1 + 30 + 1);

    const narrow = await runCli(
      ['list', 'ftjob-t', '--limit', '2'],
      cliEnv(server.url, { COLUMNS: '40' }),
    );
    expect(narrow.stdout).toMatch(/^step: \d+\ncreated: /);
    expect(narrow.stdout).toContain(`model checkpoint: ${served[0]?.fine_tuned_model_checkpoint}`);
  });

  it('to nothing when there is neither a terminal nor COLUMNS', async () => {
    const server = await serve(servePages(served));
    const result = await runCli(['list', 'ftjob-t'], cliEnv(server.url));
    expect(headerOf(result.stdout)).toMatch(/train_loss .* model checkpoint$/);
    expect(result.stdout).toContain(served[0]?.fine_tuned_model_checkpoint);
  });

  it("to the terminal's own width, over COLUMNS", async () => {
    const server = await serve(servePages(served));
    const env = cliEnv(server.url, { COLUMNS: '300' });
    const result = await runCliInTerminal(['list', 'ftjob-t', '--all'], env, 70);
    expect(result.code).toBe(0);
    // The waiting and page lines on stderr share the terminal; each is erased before output.
    const table = result.stdout
      .replace(/\r\x1b\[K( {2}(waiting for \S+… \d+s|page \d+ · \d+ checkpoints?))?/g, '')
      .replace(/\r/g, '');
    expect(widest(table)).toBeLessThanOrEqual(70);
    expect(table).toMatch(/step {2}created +t_loss/);
  });

  it('--columns chooses, --wide shows all', async () => {
    const server = await serve(servePages(served));
    const env = cliEnv(server.url, { COLUMNS: '80' });
    const chosen = await runCli(['list', 'ftjob-t', '--columns', 'id,step,valid_loss'], env);
    expect(headerOf(chosen.stdout)).toMatch(/^id +step +valid_loss$/);
    expect(chosen.stdout.split('\n')[1]).toMatch(
      new RegExp(`^${served[0]?.id} +${served[0]?.step_number} +`),
    );

    const wide = await runCli(['list', 'ftjob-t', '--wide'], env);
    expect(headerOf(wide.stdout)).toMatch(
      /^ *step {2}created +id +metrics\.step +train_loss .*model checkpoint +job$/,
    );
    expect(widest(wide.stdout)).toBeGreaterThan(80);

    const bad = await runCli(['list', 'ftjob-t', '--columns', 'step,vaild_loss'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /unknown column "vaild_loss"; expected some of step, .*\. Did you mean valid_loss\?/,
    );
  });

  it('--sort step|created orders ascending; the default is the server order', async () => {
    const server = await serve(servePages(served));
    const env = cliEnv(server.url);
    const byStep = await runCli(
      ['list', 'ftjob-t', '--all', '--sort', 'step', '--field', 'step_number'],
      env,
    );
    const steps = byStep.stdout.trim().split('\n').map(Number);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps).toHaveLength(30);
    const byCreated = await runCli(
      ['list', 'ftjob-t', '--all', '--sort', 'created', '--format', 'json'],
      env,
    );
    const created = (JSON.parse(byCreated.stdout) as { created_at: number }[]).map(
      (c) => c.created_at,
    );
    expect(created).toEqual([...created].sort((a, b) => a - b));
    const unsorted = await runCli(['list', 'ftjob-t', '--all', '--field', 'id'], env);
    expect(unsorted.stdout).toBe(served.map((c) => `${c.id}\n`).join(''));
  });
});
