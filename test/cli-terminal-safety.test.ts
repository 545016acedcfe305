// Class 7: text from the server cannot act on the terminal, in any output format. What people
// read (tables, `best`, `watch`, `chart`, messages, the mock's banner) has every control
// character, BiDi control and line separator replaced by U+FFFD; JSON and JSONL write them as
// `\u` escapes (the same JSON value); CSV and `--field` are neutralised on a terminal and stay
// byte for byte what the server sent in a pipe or a file (CSV in a file is data).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText, toCsvRows } from '../src/cli/csv.js';
import { describeError, reportError } from '../src/cli/exit.js';
import { fieldValue } from '../src/cli/fields.js';
import { renderTable, toJson, toJsonl } from '../src/cli/format.js';
import { renderChart } from '../src/cli/chart.js';
import { printable } from '../src/cli/safe-text.js';
import { ApiError } from '../src/errors.js';
import {
  cliEnv,
  fineTuningJob,
  runCli,
  runCliInTerminal,
  startCli,
  withJob,
} from './helpers/cli.js';
import { parseCsv } from './helpers/csv.js';
import { checkpoint, sendJson, servePages, serverPool } from './helpers/http.js';
import { tempFolders } from './helpers/temp.js';

const JOB = 'ftjob-abc123';
const serve = serverPool();
const tempFolder = tempFolders();

/**
 * What must never reach a terminal raw, written independently of the code under test: C0, DEL,
 * C1, the BiDi controls, the line and paragraph separators, lone surrogates.
 */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** The same, but for the line feeds (and CSV's CRLF) that the output itself is made of. */
const unsafeBesides = (text: string, allowed: RegExp): boolean =>
  UNSAFE.test(text.replace(allowed, ''));

/** Clipboard write (OSC 52), clear screen, colour, BEL, NUL, DEL, C1 NEL and CSI, BiDi. */
const PAYLOADS = [
  '\x1b]52;c;cm0gLXJmIH4=\x07',
  '\x1b[2J\x1b[H',
  '\x1b[31m',
  '\x07',
  '\x00',
  '\x7f',
  '\u0085',
  '\u009b31m',
  '\u202egnp.exe\u202c',
  '\u2066x\u2069',
  '\u200f',
  '\u061c',
  '\u2028',
  '\r',
];
const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...PAYLOADS),
    fc.constantFrom('a', 'Z', '0', ':', '-', '=', ',', '"', ' ', 'é', '模', '😀', '\ud800'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 20,
});
const named = (model: string) => ({
  ...checkpoint('ckpt_0', 5),
  fine_tuned_model_checkpoint: model,
});

describe('class 7: every format, over every string (property)', () => {
  it('tables, blocks, charts and messages replace what could act on a terminal', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 20, max: 200 }), (text, width) => {
        const rows = [named(text), { ...checkpoint(text, 4), fine_tuning_job_id: text }];
        expect(printable(text)).not.toMatch(UNSAFE);
        for (const options of [{ width }, { width: Infinity, wide: true }]) {
          expect(unsafeBesides(renderTable(rows, options), /\n/g)).toBe(false);
        }
        const chart = renderChart([{ name: 'valid_loss', points: [{ step: 1, value: 1 }] }], {
          width: 60,
          mark: { step: 1, value: 1, label: 'best', details: [printable(text)] },
        });
        expect(unsafeBesides(chart, /\n/g)).toBe(false);
        const error = new ApiError({
          status: 400,
          body: {
            error: { message: text, type: 'invalid_request_error', param: null, code: null },
          },
          headers: new Headers(),
          requestId: text,
          attempts: 1,
        });
        expect(describeError(error)).not.toMatch(UNSAFE);
        let line = '';
        reportError(error, { write: (chunk: string) => (line += chunk) });
        expect(unsafeBesides(line, /\n$/)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('JSON and JSONL escape it, and the value is unchanged', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const rows = [{ ...named(text), [text]: text }];
        for (const output of [toJson(rows), toJsonl(rows)]) {
          expect(unsafeBesides(output, /\n/g)).toBe(false);
          const parsed = output.startsWith('[') ? JSON.parse(output) : [JSON.parse(output)];
          // JSON.parse sees what JSON.stringify made of the same value: lone surrogates too.
          expect(parsed).toEqual(JSON.parse(JSON.stringify(rows)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('CSV: neutralised for a terminal; byte for byte in a pipe or a file', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const rows = [{ ...named(text), fine_tuning_job_id: text }];
        const forTerminal = toCsvRows(rows, true);
        expect(unsafeBesides(forTerminal, /\r\n/g)).toBe(false);
        expect(parseCsv(forTerminal)[0]?.[4]).toBe(csvText(printable(text)));
        const forFile = parseCsv(toCsvRows(rows, false));
        expect(forFile[0]?.[4]).toBe(csvText(text));
        expect(forFile[0]?.[5]).toBe(csvText(text));
      }),
      { numRuns: 300 },
    );
  });

  it('--field: no control character anywhere; BiDi replaced on a terminal, exact in a pipe', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const row = named(text);
        const field = 'fine_tuned_model_checkpoint';
        if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) {
          expect(() => fieldValue(row, field, false)).toThrow(/holds a control character/);
          expect(() => fieldValue(row, field, true)).toThrow(/holds a control character/);
          return;
        }
        expect(fieldValue(row, field, false)).toBe(text);
        expect(fieldValue(row, field, true)).not.toMatch(UNSAFE);
      }),
      { numRuns: 300 },
    );
  });
});

describe('class 7: the built CLI, on a terminal and in a pipe', () => {
  const model = `ft:gpt-4o:${PAYLOADS.join('')}:ckpt-step-5`;
  const job = `ftjob-${'\u202e'}abc`;
  /** The payloads' raw sequences, as they would reach the terminal. */
  const RAW = ['\x1b]52', '\x1b[2J', '\x1b[31m', '\x07', '\x00', '\x7f', '\u0085', '\u202e'];
  const rawIn = (text: string) => RAW.filter((sequence) => text.includes(sequence));

  const hostile = { ...named(model), fine_tuning_job_id: job };
  const hostileServer = () => serve(withJob(servePages([hostile])));
  /** A job whose id, model and fine-tuned model carry the payloads (`jobs` lists it). */
  const hostileJob = fineTuningJob(job, 'succeeded', {
    model: `gpt-4o${PAYLOADS.join('')}`,
    fine_tuned_model: model,
  });

  it('no format lets the sequences through to a terminal', async () => {
    const server = await hostileServer();
    const env = cliEnv(server.url, { NO_COLOR: '1' });
    // One run per output path (jsonl and the blocks layout share theirs with json and the table).
    const runs = [
      ['list', JOB],
      ['list', JOB, '--format', 'json'],
      ['list', JOB, '--format', 'csv'],
      ['best', JOB],
      ['watch', JOB, '--count', '1'],
      ['chart', JOB],
    ];
    for (const args of runs) {
      const result = await runCliInTerminal(args, env, 200);
      expect(result.code, args.join(' ')).toBe(0);
      expect(rawIn(result.stdout), args.join(' ')).toEqual([]);
    }
  });

  it('nor for jobs: table, json, csv; --field refuses; csv in a pipe is exact', async () => {
    const server = await serve(servePages([hostileJob]));
    const env = cliEnv(server.url, { NO_COLOR: '1' });
    for (const width of [200, 50]) {
      for (const args of [['jobs'], ['jobs', '--format', 'json'], ['jobs', '--format', 'csv']]) {
        const result = await runCliInTerminal(args, env, width);
        expect(result.code, args.join(' ')).toBe(0);
        const json = args.includes('json');
        expect(result.stdout).toContain(json ? 'ftjob-\\u202eabc' : 'ftjob-\uFFFDabc');
        expect(rawIn(result.stdout), args.join(' ')).toEqual([]);
      }
    }
    const field = await runCliInTerminal(['jobs', '--field', 'model'], env, 200);
    expect(field.code).toBe(1);
    expect(field.stdout).toMatch(/the model of job .* holds a control character/);
    expect(rawIn(field.stdout)).toEqual([]);
    const csv = await runCli(['jobs', '--format', 'csv'], env);
    const [header, row] = parseCsv(csv.stdout);
    expect(row?.[header!.indexOf('model')]).toBe(hostileJob.model);
    expect(row?.[header!.indexOf('fine_tuned_model')]).toBe(model);
    expect(row?.[header!.indexOf('id')]).toBe(job);
  });

  it('in a pipe, CSV is byte for byte the server text; JSON the same value', async () => {
    const server = await hostileServer();
    const csv = await runCli(['list', JOB, '--format', 'csv'], cliEnv(server.url));
    expect(parseCsv(csv.stdout)[1]?.slice(4, 6)).toEqual([model, job]);
    const json = await runCli(['list', JOB, '--format', 'json'], cliEnv(server.url));
    expect(rawIn(json.stdout)).toEqual([]);
    expect(JSON.parse(json.stdout)[0].fine_tuned_model_checkpoint).toBe(model);
    const table = await runCli(['list', JOB], cliEnv(server.url));
    expect(rawIn(table.stdout)).toEqual([]);
  });

  it('--field of a BiDi name: replaced on a terminal, exact in a pipe', async () => {
    const spoof = 'ft:gpt-4o:org::\u202e1-pets-tpkc';
    const server = await serve(servePages([named(spoof)]));
    const args = ['best', JOB, '--field', 'fine_tuned_model_checkpoint'];
    const piped = await runCli(args, cliEnv(server.url));
    expect(piped.stdout).toBe(`${spoof}\n`);
    const shown = await runCliInTerminal(args, cliEnv(server.url), 100);
    expect(shown.stdout).toContain('ft:gpt-4o:org::\uFFFD1-pets-tpkc');
    expect(rawIn(shown.stdout)).toEqual([]);
  });

  it('an error message from the server: one line, nothing raw', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 400, {
        error: {
          message: `bad\u202e\x1b]52;c;eA==\x07 \u2028next`,
          type: 'x',
          param: null,
          code: null,
        },
      }),
    );
    const result = await runCli(['list', JOB], cliEnv(server.url));
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(rawIn(result.stderr)).toEqual([]);
    expect(result.stderr).not.toContain('\u2028');
  });

  it("the mock's banner shows job ids from a file made safe", async () => {
    const dir = await tempFolder('ft-safety-');
    const file = join(dir, 'jobs.json');
    await writeFile(file, JSON.stringify({ [`ftjob-\x1b[2J\u202eevil`]: { count: 1 } }));
    const mock = startCli(['mock', '--port', '0', '--jobs', file], {
      PATH: process.env.PATH ?? '',
    });
    await mock.waitFor(/Ctrl\+C/);
    expect(mock.stdout()).toContain('ftjob-\uFFFD[2J\uFFFDevil  succeeded, 1 checkpoint\n');
    expect(rawIn(mock.stdout())).toEqual([]);
    mock.child.kill('SIGTERM');
    await mock.done;
  });
});
