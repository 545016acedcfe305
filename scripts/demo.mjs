#!/usr/bin/env node
// `npm run demo`: the CLI end to end, with no key and no network. Starts the package's mock API
// (from the built dist/, so this also smoke-tests the published layout) with a 300-checkpoint job
// and a job still training, then runs the built `ft-checkpoints` against it as a child process,
// exactly as a user would: the jobs, a list, a chart, the best checkpoint (as a table and as one
// field), and a watch of the running job to its end.
// Exits non-zero as soon as a step fails; the mock is closed either way.
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const JOB_ID = 'ftjob-demo';
const RUNNING_JOB_ID = 'ftjob-demo-running';
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const mockEntry = new URL('../dist/mock.js', import.meta.url);

const steps = [
  {
    title: 'The recent jobs, to find an id',
    args: ['jobs'],
  },
  {
    title: 'The 15 newest checkpoints (--max-items: only the pages it needs)',
    args: ['list', JOB_ID, '--max-items', '15'],
  },
  {
    title: 'The metrics across steps: a panel for the losses, one for the accuracies',
    args: ['chart', JOB_ID, '--height', '30'],
  },
  {
    title: 'The losses alone, the best checkpoint marked',
    args: [
      'chart',
      JOB_ID,
      '--metric',
      'full_valid_loss',
      '--metric',
      'valid_loss',
      '--height',
      '20',
    ],
  },
  {
    title: 'The best checkpoint by full_valid_loss (lower is better; 3 requests of 100)',
    args: ['best', JOB_ID],
  },
  {
    title: 'Its model name alone, to feed the next command',
    args: ['best', JOB_ID, '--field', 'fine_tuned_model_checkpoint'],
  },
  {
    title: 'The best checkpoint by full_valid_mean_token_accuracy (higher is better)',
    args: ['best', JOB_ID, '--metric', 'full_valid_mean_token_accuracy'],
  },
  {
    title: 'A job still training, watched until it succeeds (a checkpoint every 0.2 s)',
    args: ['watch', RUNNING_JOB_ID, '--interval', '1'],
  },
];

/** Runs the built CLI with the mock's URL and a dummy key; resolves with its exit code. */
function runCli(args, baseUrl) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: 'inherit',
      // A dummy key on purpose: the mock accepts any, and a real one must never reach it.
      // Piped into a file or a CI log, the tables and the chart still fit 80 columns.
      env: {
        COLUMNS: String(process.stdout.columns || 80),
        ...process.env,
        OPENAI_BASE_URL: baseUrl,
        OPENAI_API_KEY: 'sk-demo-not-a-real-key',
      },
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function main() {
  try {
    await access(cli);
    await access(mockEntry);
  } catch {
    console.error('demo: dist/cli.js or dist/mock.js is missing; run `npm run build` first.');
    return 1;
  }
  const { createMockServer, generateCheckpoints } = await import(mockEntry.href);
  const checkpoints = generateCheckpoints({ jobId: JOB_ID, count: 300 });
  const running = generateCheckpoints({
    jobId: RUNNING_JOB_ID,
    count: 10,
    startTime: 1_721_846_400,
  });
  const server = await createMockServer({
    jobs: { [JOB_ID]: checkpoints, [RUNNING_JOB_ID]: { checkpoints: running, tickMs: 200 } },
  });
  try {
    console.log(
      `Mock API on ${server.url}: job ${JOB_ID} with ${checkpoints.length} checkpoints, ` +
        `job ${RUNNING_JOB_ID} still training`,
    );
    for (const [i, step] of steps.entries()) {
      console.log(`\n=== ${i + 1}. ${step.title}`);
      console.log(`$ ft-checkpoints ${step.args.join(' ')}\n`);
      const code = await runCli(step.args, server.url);
      if (code !== 0) {
        console.error(`\ndemo: step ${i + 1} failed with exit code ${code}`);
        return code;
      }
    }
    console.log(`\nDone: ${server.requests.length} requests served, no key or network used.`);
    return 0;
  } finally {
    await server.close();
  }
}

process.exitCode = await main();
