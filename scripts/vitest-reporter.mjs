// The vitest reporter of `npm test` (and `npm run test:unit`): quiet when everything passes. It
// prints the failing files with their failing tests and errors, as vitest's default reporter
// does, then one summary line; passing files print nothing. `FT_TEST_VERBOSE=1` (set by
// `npm test -- --verbose`) gives vitest's default report instead: every file, slow tests, the
// summary block. Colour follows vitest's rules (NO_COLOR turns it off); the summary line has none.
// `npx vitest run <file>` does not use this reporter: a developer running one file sees it all.
import { DefaultReporter } from 'vitest/node';

/** Counts the tests of some vitest tasks (files, suites) by how they ended. */
function countTests(tasks, counts = { passed: 0, failed: 0, skipped: 0 }) {
  for (const task of tasks) {
    if (task.type === 'suite') countTests(task.tasks, counts);
    else if (task.result?.state === 'fail') counts.failed++;
    else if (task.result?.state === 'pass') counts.passed++;
    else counts.skipped++;
  }
  return counts;
}

/** `1 file`, `2 files`. */
const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The one line a run ends with, e.g. `913 tests passed in 45 files (81.2 s)`. */
export function summaryLine({ passed, failed, skipped, files, failedFiles, errors, seconds }) {
  const total = passed + failed + skipped;
  const parts = [
    failed === 0 && failedFiles === 0
      ? `${passed} tests passed in ${plural(files, 'file')}`
      : `${failed} of ${total} tests failed, in ${failedFiles} of ${plural(files, 'file')}`,
  ];
  if (skipped > 0) parts.push(`${skipped} skipped`);
  if (errors > 0) parts.push(plural(errors, 'unhandled error'));
  return `${parts.join(', ')} (${seconds.toFixed(1)} s)`;
}

export default class QuietReporter extends DefaultReporter {
  constructor(options = {}) {
    const verbose = options.verbose ?? process.env.FT_TEST_VERBOSE === '1';
    // passed-only: what a passing test logs stays hidden; a failing test's logs are shown.
    super(verbose ? options : { silent: 'passed-only', ...options });
    this.quiet = !verbose;
  }

  onInit(ctx) {
    if (!this.quiet) return super.onInit(ctx);
    // Without the banner (`RUN v4.x /path`): it says nothing a passing run needs.
    const { printBanner } = ctx.logger;
    ctx.logger.printBanner = () => {};
    try {
      super.onInit(ctx);
    } finally {
      ctx.logger.printBanner = printBanner;
    }
  }

  printTestModule(testModule) {
    if (!this.quiet || testModule.state() === 'failed') super.printTestModule(testModule);
  }

  printTestCase(moduleState, testCase) {
    if (!this.quiet || testCase.result().state === 'failed') {
      super.printTestCase(moduleState, testCase);
    }
  }

  reportTestSummary(files, errors, leakCount) {
    if (!this.quiet) return super.reportTestSummary(files, errors, leakCount);
    const counts = countTests(files.flatMap((file) => file.tasks));
    const failedFiles = files.filter((file) => file.result?.state === 'fail').length;
    this.log(
      summaryLine({
        ...counts,
        files: files.length,
        failedFiles,
        errors: errors.length,
        seconds: (performance.now() - this.start) / 1000,
      }),
    );
  }
}
