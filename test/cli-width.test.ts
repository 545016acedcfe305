// Class 8: widths are terminal columns, not UTF-16 units. East Asian wide characters and emoji
// take two columns, combining marks none of their own; shortening a name cuts between graphemes
// only, so a surrogate pair or an emoji sequence is never split into U+FFFD.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../src/cli/format.js';
import { layoutTable } from '../src/cli/table-layout.js';
import { defaultColumns, presentMetrics } from '../src/cli/table-columns.js';
import { displayWidth, truncateMiddle } from '../src/cli/width.js';
import { generateCheckpoints } from '../src/mock/index.js';
import { cliEnv, runCli, runCliInTerminal } from './helpers/cli.js';
import { checkpoints, servePages, serverPool } from './helpers/http.js';

const serve = serverPool();

/**
 * Graphemes whose width every terminal agrees on, with that width: the oracle the tests measure
 * output with, written apart from the code under test.
 */
const KNOWN: readonly (readonly [grapheme: string, columns: number])[] = [
  ['a', 1],
  ['Z', 1],
  ['-', 1],
  [':', 1],
  ['é', 1], // precomposed
  ['e\u0301', 1], // e + combining acute
  ['ñ', 1],
  ['ｶ', 1], // halfwidth katakana
  ['模', 2],
  ['型', 2],
  ['한', 2],
  ['Ａ', 2], // fullwidth A
  ['😀', 2],
  ['👍🏽', 2], // with a skin tone
  ['👨‍👩‍👧', 2], // a ZWJ sequence
  ['🇯🇵', 2], // a flag: two regional indicators
  ['❤️', 2], // text-style heart made emoji by VS16
];
const widthOf = new Map<string, number>([...KNOWN, ['…', 1], ['\uFFFD', 1]]);
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemes = (text: string) => Array.from(segmenter.segment(text), (s) => s.segment);

/** Columns by the oracle: known graphemes by the table, anything else (ASCII) one each. */
function columns(text: string): number {
  return graphemes(text).reduce((sum, g) => sum + (widthOf.get(g) ?? 1), 0);
}

const knownText = fc
  .array(fc.constantFrom(...KNOWN), { maxLength: 40 })
  .map((parts) => parts.map(([g]) => g).join(''));

describe('class 8: terminal columns (property)', () => {
  it('displayWidth counts columns, grapheme by grapheme', () => {
    fc.assert(
      fc.property(knownText, (text) => {
        expect(displayWidth(text)).toBe(columns(text));
      }),
      { numRuns: 500 },
    );
  });

  it('truncateMiddle fits the width and cuts between graphemes only', () => {
    fc.assert(
      fc.property(knownText, fc.integer({ min: 1, max: 60 }), (text, width) => {
        const cut = truncateMiddle(text, width);
        expect(columns(cut)).toBeLessThanOrEqual(width);
        if (columns(text) <= width) {
          expect(cut).toBe(text);
          return;
        }
        expect(cut).not.toContain('\uFFFD');
        expect(cut).not.toMatch(
          /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
        );
        const [head = '', tail = ''] = cut.split('…');
        const parts = graphemes(text);
        expect(graphemes(head)).toEqual(parts.slice(0, graphemes(head).length));
        expect(graphemes(tail)).toEqual(parts.slice(parts.length - graphemes(tail).length));
        // As much as fits: not a column more would have been possible at either end.
        expect(columns(cut)).toBeGreaterThanOrEqual(width - 2);
      }),
      { numRuns: 500 },
    );
  });

  it('a table of wide and emoji names never exceeds the width it is fitted to', () => {
    const base = generateCheckpoints({ jobId: 'ftjob-w', count: 4, seed: 2 });
    fc.assert(
      fc.property(
        fc.array(knownText, { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 40, max: 160 }),
        (names, width) => {
          const rows = base.map((c, i) => ({
            ...c,
            fine_tuned_model_checkpoint: `ft:${names[i]}:ckpt-step-${c.step_number}`,
          }));
          const layout = layoutTable(rows, defaultColumns(presentMetrics(rows)), width);
          const text = renderTable(rows, { width });
          if (layout.kind === 'blocks') return;
          for (const line of text.trimEnd().split('\n')) {
            expect(columns(line), line).toBeLessThanOrEqual(width);
          }
          expect(text).not.toContain('\uFFFD');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('class 8: the built CLI', () => {
  // Two metrics: room left for the model checkpoint, shortened, at 70 columns.
  const job = checkpoints(3).map((c, i) => ({
    ...c,
    fine_tuned_model_checkpoint: `ft:模型模型模型模型模型模型模型模型:😀😀👨‍👩‍👧:ckpt-step-${i}`,
  }));

  it('fits a table of wide and emoji names to COLUMNS=70 and to a 70-column terminal', async () => {
    const server = await serve(servePages(job));
    const piped = await runCli(['list', 'ftjob-abc123'], cliEnv(server.url, { COLUMNS: '70' }));
    const shown = await runCliInTerminal(['list', 'ftjob-abc123'], cliEnv(server.url), 70);
    for (const result of [piped, shown]) {
      expect(result.code).toBe(0);
      const table = result.stdout
        .replace(/\r\x1b\[K( {2}(waiting for \S+… \d+s|page \d+ · \d+ checkpoints?))?/g, '')
        .replace(/\r/g, '');
      const lines = table.trimEnd().split('\n');
      expect(lines[0]).toMatch(/model checkpoint$/);
      for (const line of lines) expect(columns(line), line).toBeLessThanOrEqual(70);
      expect(table).not.toContain('\uFFFD');
      // Shortened in the middle, the tail kept whole.
      expect(table).toMatch(/ft:模.*….*:ckpt-step-0\n/);
    }
  });
});
