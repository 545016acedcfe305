// `npm test` itself. Its step runner (scripts/lib/steps.mjs) prints one line per step and one
// summary line, shows a step's output only when the step fails (or with --verbose), runs
// independent steps side by side, skips what needs a failed step, and writes no escape sequence
// unless it writes to a terminal. Its vitest reporter (scripts/vitest-reporter.mjs) names only
// the failing files, with their errors, then one line; with FT_TEST_VERBOSE=1, every file.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'vitest';
import { runSteps, type Step } from '../scripts/lib/steps.mjs';
import { tempFolders } from './helpers/temp.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const ESC = '\u001b';
// Per file: the tests run side by side, and a per-test clean-up would remove a neighbour's folder.
const tempFolder = tempFolders('file');

/** A step that runs a line of JavaScript in node. */
function node(name: string, code: string, extra: Partial<Step> = {}): Step {
  // No warnings: node warns on stderr when FORCE_COLOR and NO_COLOR are both set.
  return { name, command: [process.execPath, '--no-warnings', '-e', code], ...extra };
}

/** Runs steps; resolves what they printed (as lines) and which failed. */
async function steps(list: Step[], options: { verbose?: boolean; color?: boolean } = {}) {
  let printed = '';
  const failed = await runSteps(list, { ...options, write: (text) => (printed += text) });
  return { printed, lines: printed.trimEnd().split('\n'), failed };
}

const COLOURED = String.raw`console.log('\u001b[32mgreen\u001b[39m words'); console.log('\u001b[1m3 things checked\u001b[22m')`;

// Each test runs child processes and waits for them: side by side, they take the time of one.
describe.concurrent('the step runner', () => {
  it('prints one line per passing step, with its last line, then a summary', async ({ expect }) => {
    const { lines, failed } = await steps([
      node('first', COLOURED),
      node('second', `console.log('noise'); console.log('all good')`),
      node('third', `console.log('tsup: dist/x.js')`, { says: 'dist/ built' }),
      node('fourth', `console.log('12 tests passed'); console.log('report written')`, {
        says: /tests passed/,
      }),
    ]);
    expect(failed).toEqual([]);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/^npm test: all 4 steps passed in \d+ s$/);
    const byName = (name: string) => lines.find((line) => line.includes(` ${name} `));
    expect(byName('first')).toMatch(/^ok {3}first {2}\s*\d+\.\d s {2}3 things checked$/);
    expect(byName('second')).toMatch(/ s {2}all good$/);
    expect(byName('third')).toMatch(/ s {2}dist\/ built$/);
    expect(byName('fourth')).toMatch(/ s {2}12 tests passed$/);
  });

  it("shows a failing step's output, skips what needs it, runs the rest, and fails", async ({
    expect,
  }) => {
    const { printed, lines, failed } = await steps([
      node('build', `console.log('compiling'); console.error('error: broken'); process.exit(3)`),
      node('tests', `console.log('never')`, { needs: ['build'] }),
      node('after-tests', `console.log('never either')`, { needs: ['tests'] }),
      node('lint', `console.log('lint ok')`),
    ]);
    expect(failed).toEqual(['build', 'tests', 'after-tests']);
    expect(printed).toContain('compiling\nerror: broken\n');
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL build .* exit 3$/));
    expect(lines).toContainEqual(expect.stringMatching(/^skip tests .*\(build failed\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^skip after-tests .*\(tests failed\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ok {3}lint .* lint ok$/));
    expect(printed).not.toContain('never');
    expect(lines.at(-1)).toMatch(
      /^npm test: 3 of 4 steps failed \(build, tests, after-tests\) in \d+ s$/,
    );
  });

  it('prints every step output with verbose, streamed for a streamed step', async ({ expect }) => {
    const { lines } = await steps(
      [
        node('quiet', `console.log('detail 1'); console.log('summary 1')`),
        node('streamed', `console.log('detail 2'); console.log('summary 2')`, { stream: true }),
      ],
      { verbose: true },
    );
    // The two run side by side, so their lines may interleave; each step's own stay in order.
    for (const n of [1, 2]) {
      const detail = lines.indexOf(`detail ${n}`);
      const summary = lines.indexOf(`summary ${n}`);
      const ok = lines.findIndex((line) => line.startsWith('ok') && line.endsWith(`summary ${n}`));
      expect(detail).toBeGreaterThanOrEqual(0);
      expect(summary).toBeGreaterThan(detail);
      expect(ok).toBeGreaterThan(summary);
    }
    expect(lines).toHaveLength(7);
  });

  it('asks the steps for no colour and strips what they print anyway, unless on a terminal', async ({
    expect,
  }) => {
    const env = `console.log(String(process.env.NO_COLOR) + ' ' + String(process.env.FORCE_COLOR))`;
    const list = [
      node('coloured', `${COLOURED}; process.exit(1)`),
      node('env', env, { env: { FORCE_COLOR: '1', NO_COLOR: '' } }),
    ];
    const plain = await steps(list);
    expect(plain.printed).not.toContain(ESC);
    expect(plain.printed).toContain('green words\n3 things checked\n');
    expect(plain.printed).toMatch(/ s {2}1 undefined\n/);

    const terminal = await steps(list, { color: true });
    expect(terminal.printed).toContain(`${ESC}[32mgreen${ESC}[39m words`);
    expect(terminal.printed).toMatch(/ s {2}1\n/);
  });

  it('runs steps side by side', async ({ expect }) => {
    const dir = await tempFolder('ft-checkpoints-steps-');
    // Each step writes its own file, then waits for the other's: only side by side do both end.
    const meet = (mine: string, theirs: string) =>
      `const fs = require('node:fs'); fs.writeFileSync(${JSON.stringify(join(dir, mine))}, '');
       const until = Date.now() + 15000;
       const wait = () => fs.existsSync(${JSON.stringify(join(dir, theirs))}) ? console.log('met')
         : Date.now() > until ? process.exit(1) : setTimeout(wait, 20);
       wait();`;
    const { failed } = await steps([node('a', meet('a', 'b')), node('b', meet('b', 'a'))]);
    expect(failed).toEqual([]);
  });

  it('refuses a step that needs an unknown step', async ({ expect }) => {
    await expect(steps([node('a', '', { needs: ['nope'] })])).rejects.toThrow(
      'step a needs nope: no such step',
    );
  });
});

describe.concurrent('the vitest reporter of npm test', () => {
  const PASSING = `describe('a passing file', () => {
  it('adds', () => { console.log('noise from a passing test'); expect(1 + 1).toBe(2); });
  it('also passes', () => {});
});`;
  const FAILING = `describe('a failing file', () => {
  it('passes here', () => {});
  it('compares', () => { console.log('context from a failing test'); expect({ a: 1 }).toEqual({ a: 2 }); });
});`;

  /** Runs vitest on test files written to a temp folder, with the reporter; resolves its output. */
  async function vitest(files: Record<string, string>, env: Record<string, string> = {}) {
    const dir = await tempFolder('ft-checkpoints-reporter-');
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const args = [
      join(root, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--root',
      dir,
      // The files are outside the repository, where `import 'vitest'` would not resolve.
      '--globals',
      `--reporter=${join(root, 'scripts', 'vitest-reporter.mjs')}`,
    ];
    // Not this run's VITEST_* variables: the child is a vitest of its own.
    const childEnv = { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env };
    // The errors go to stderr, the file lines and the summary to stdout.
    try {
      const { stdout, stderr } = await run(process.execPath, args, { env: childEnv, cwd: dir });
      return { code: 0, stdout, output: stdout + stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return {
        code: failure.code,
        stdout: failure.stdout,
        output: failure.stdout + failure.stderr,
      };
    }
  }

  it('prints one line when every file passes', async ({ expect }) => {
    const { code, output } = await vitest({ 'passes.test.ts': PASSING });
    expect(code).toBe(0);
    expect(output.trim().split('\n')).toEqual([
      expect.stringMatching(/^2 tests passed in 1 file \(\d+\.\d s\)$/),
    ]);
  });

  it('names only the failing file, with its failing test, its error and its logs', async ({
    expect,
  }) => {
    const { code, stdout, output } = await vitest({
      'passes.test.ts': PASSING,
      'fails.test.ts': FAILING,
    });
    expect(code).toBe(1);
    expect(output).toContain('fails.test.ts');
    expect(output).toContain('compares');
    expect(output).toContain('expected { a: 1 } to deeply equal { a: 2 }');
    expect(output).toContain('context from a failing test');
    expect(output).not.toContain('passes.test.ts');
    expect(output).not.toContain('noise from a passing test');
    expect(output).not.toContain(ESC);
    expect(stdout.trim().split('\n').at(-1)).toMatch(
      /^1 of 4 tests failed, in 1 of 2 files \(\d+\.\d s\)$/,
    );
  });

  it('reports every file with FT_TEST_VERBOSE=1', async ({ expect }) => {
    const { code, output } = await vitest(
      { 'passes.test.ts': PASSING, 'fails.test.ts': FAILING },
      { FT_TEST_VERBOSE: '1' },
    );
    expect(code).toBe(1);
    expect(output).toMatch(/passes\.test\.ts \(2 tests\)/);
    expect(output).toMatch(/Test Files +1 failed \| 1 passed \(2\)/);
    expect(output).not.toContain(ESC);
  });
});
