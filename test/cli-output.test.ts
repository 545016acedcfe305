// Output for scripts and spreadsheets, from the built CLI: --field (best → --field → the next
// command), CSV that is RFC 4180 and safe against formula injection, with an ISO 8601 date.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { csvField, csvText, toCsvRows } from '../src/cli/csv.js';
import { fieldValue, FIELD_NAMES } from '../src/cli/fields.js';
import { CLI, cliEnv, runCli } from './helpers/cli.js';
import { checkpoint, checkpoints, servePages, serverPool } from './helpers/http.js';
import { parseCsv } from './helpers/csv.js';

const serve = serverPool();
const JOB = 'ftjob-abc123';

describe('--field', () => {
  it('names every scalar field and metrics.<metric>, from the schema', () => {
    expect(FIELD_NAMES).toContain('fine_tuned_model_checkpoint');
    expect(FIELD_NAMES).toContain('metrics.full_valid_loss');
    expect(FIELD_NAMES).not.toContain('metrics');
    const c = checkpoint('ckpt_1', 7);
    expect(fieldValue(c, 'step_number')).toBe('7');
    expect(fieldValue(c, 'metrics.full_valid_loss')).toBe(String(1 / 7));
    expect(fieldValue(c, 'metrics.valid_loss')).toBe('');
  });

  it('best → --field → the next command', async () => {
    const all = checkpoints(30);
    const server = await serve(servePages(all));
    const env = cliEnv(server.url);
    const best = await runCli(['best', JOB, '--field', 'fine_tuned_model_checkpoint'], env);
    expect(best).toMatchObject({
      code: 0,
      stderr: '',
      stdout: `${all[0]?.fine_tuned_model_checkpoint}\n`,
    });

    // As docs/cli.md shows it: the winner's name into a shell variable, then into a command.
    const script = `model=$("$NODE" "$CLI" best ${JOB} --field fine_tuned_model_checkpoint) && echo "deploy $model"`;
    const child = spawn('sh', ['-c', script], { env: { ...env, NODE: process.execPath, CLI } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toBe(`deploy ${all[0]?.fine_tuned_model_checkpoint}\n`);
  });

  it('list prints one value per line and nothing else, blank for a missing metric', async () => {
    const all = checkpoints(5).map((c, i) =>
      i === 2 ? { ...c, metrics: { step: c.step_number } as typeof c.metrics } : c,
    );
    const server = await serve(servePages(all));
    const env = cliEnv(server.url);
    const losses = await runCli(['list', JOB, '--field', 'metrics.full_valid_loss'], env);
    expect(losses.stdout).toBe(all.map((c) => `${c.metrics.full_valid_loss ?? ''}\n`).join(''));
    const ids = await runCli(['list', JOB, '--all', '--max-items', '3', '--field', 'id'], env);
    expect(ids.stdout).toBe('ckpt_0\nckpt_1\nckpt_2\n');
  });

  it('refuses an unknown field (with a suggestion), or --field with --format', async () => {
    const server = await serve(servePages(checkpoints(3)));
    const env = cliEnv(server.url);
    const typo = await runCli(['best', JOB, '--field', 'full_valid_loss'], env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /unknown field "full_valid_loss"; expected id, .*\. Did you mean metrics\.full_valid_loss\?/,
    );
    const both = await runCli(['list', JOB, '--field', 'id', '--format', 'json'], env);
    expect(both.stderr).toMatch(/--field and --format exclude each other/);
    expect(server.requests).toHaveLength(0);
  });

  it('will not print a value that would span lines or drive the terminal', async () => {
    const evil = { ...checkpoint('ckpt_0', 1), fine_tuned_model_checkpoint: 'ft:x\nrm -rf ~' };
    const server = await serve(servePages([evil]));
    const result = await runCli(
      ['best', JOB, '--field', 'fine_tuned_model_checkpoint'],
      cliEnv(server.url),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^ft-checkpoints: error: the fine_tuned_model_checkpoint of checkpoint "ckpt_0" holds a control character/,
    );
    expect(result.stderr.split('\n')).toHaveLength(2);
  });
});

describe('CSV', () => {
  it('prefixes text that a spreadsheet would run as a formula; numbers stay numbers', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(csvText(text)).toBe(`'${text}`);
    expect(csvText('ft:gpt-4o')).toBe('ft:gpt-4o');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    const row = toCsvRows([{ ...checkpoint('=cmd|x', 3), metrics: { step: 3, train_loss: -0.5 } }]);
    expect(row.startsWith("'=cmd|x,1721764803,2024-07-23T20:00:03Z,3,")).toBe(true);
    expect(row.endsWith('\r\n')).toBe(true);
    expect(row).toContain(',3,-0.5,');
  });

  it('the built CLI writes RFC 4180 with a created column beside created_at', async () => {
    const hostile = [
      {
        ...checkpoint('=HYPERLINK("http://x","y")', 3),
        fine_tuned_model_checkpoint: '+cmd,"q"\r\nz',
      },
      { ...checkpoint('@evil', 2), fine_tuning_job_id: '-2+3' },
      checkpoint('ckpt_1', 1),
    ];
    const server = await serve(servePages(hostile));
    const result = await runCli(['list', JOB, '--all', '--format', 'csv'], cliEnv(server.url));
    expect(result.code).toBe(0);
    const [header, ...records] = parseCsv(result.stdout);
    expect(header?.slice(0, 4)).toEqual(['id', 'created_at', 'created', 'step_number']);
    expect(records.map((r) => r[0])).toEqual(['\'=HYPERLINK("http://x","y")', "'@evil", 'ckpt_1']);
    expect(records[0]?.[4]).toBe('\'+cmd,"q"\r\nz');
    expect(records[1]?.[5]).toBe("'-2+3");
    expect(records.map((r) => r[1])).toEqual(['1721764803', '1721764802', '1721764801']);
    expect(records.map((r) => r[2])).toEqual([
      '2024-07-23T20:00:03Z',
      '2024-07-23T20:00:02Z',
      '2024-07-23T20:00:01Z',
    ]);
    const loss = header?.indexOf('metrics.full_valid_loss') ?? -1;
    expect(records[2]?.[loss]).toBe('1');
  });
});
