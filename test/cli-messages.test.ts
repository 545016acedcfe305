// Messages on stderr fit the terminal: wrapped at word boundaries to its width (never mid-word),
// continuation lines indented; in a pipe or a file, one line each for grep.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageText, wrapWords } from '../src/cli/messages.js';
import { displayWidth } from '../src/cli/width.js';
import { runCli, runCliInTerminal } from './helpers/cli.js';

describe('wrapWords (pure)', () => {
  const word = fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
    fc.constantFrom('模型', 'ß', '🙂', 'OPENAI_API_KEY=sk-...', 'x'.repeat(60)),
  );
  const words = fc
    .array(word, { minLength: 1, maxLength: 40 })
    .map((list) => list.map((w) => w.replaceAll(' ', '_')));

  it('never cuts a word, keeps every word in order, and fits the width where words do', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 10, max: 120 }), (list, width) => {
        const lines = wrapWords(list.join(' '), width);
        // The words, in order, whole.
        expect(lines.map((line) => line.trim()).join(' ')).toBe(list.join(' '));
        lines.forEach((line, i) => {
          if (i > 0) expect(line.startsWith('  ')).toBe(true);
          // Too wide only when it is one word too long for any line.
          if (displayWidth(line) > width) expect(line.trim()).not.toContain(' ');
        });
        // No line could have taken the next line's first word.
        for (let i = 0; i + 1 < lines.length; i++) {
          const next = lines[i + 1]!.trim().split(' ')[0]!;
          expect(displayWidth(`${lines[i]} ${next}`)).toBeGreaterThan(width);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a message whole without a width (a pipe)', () => {
    const line = 'ft-checkpoints: error: '.padEnd(300, 'x y ');
    expect(messageText(line, undefined)).toBe(`${line}\n`);
    expect(messageText('a b c', 3)).toBe('a b\n  c\n');
  });
});

describe('the built CLI', () => {
  const noKey = ['list', 'ftjob-abc123'];
  const env = { PATH: process.env.PATH ?? '' };

  it('wraps an error at word boundaries on a terminal of 40 columns', async () => {
    const result = await runCliInTerminal(noKey, env, 40);
    expect(result.code).toBe(2);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines[0]).toMatch(/^ft-checkpoints: error: OPENAI_API_KEY is/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}\S/);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    // Nothing cut mid-word: "(export OPENAI" / "_API_KEY=..." was the complaint.
    expect(result.stdout).toContain('OPENAI_API_KEY=sk-...):');
    expect(lines.map((line) => line.trim()).join(' ')).toBe(
      "ft-checkpoints: error: OPENAI_API_KEY is not set; export it first (export OPENAI_API_KEY=sk-...): ft-checkpoints reads the key only from the environment (see 'ft-checkpoints list --help')",
    );
  });

  it('keeps it on one line in a pipe', async () => {
    const result = await runCli(noKey, env);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr.length).toBeGreaterThan(120);
  });
});
