/**
 * Messages on stderr (errors, warnings, the end of a watch) as a person reads them: on a terminal,
 * wrapped at word boundaries to its width, continuation lines indented; in a pipe or a file, one
 * line each, so that `grep` finds a whole message.
 */
import { displayWidth } from './width.js';

/** What a message's continuation lines start with. */
const INDENT = '  ';

/**
 * `text` broken into lines of at most `width` terminal columns, at spaces only: a word wider than
 * that (a URL, a long id) stays whole on a line of its own rather than being cut. Lines after the
 * first are indented by two spaces.
 *
 * @example
 * ```ts
 * wrapWords('ft-checkpoints: error: OPENAI_API_KEY is not set', 30);
 * // ['ft-checkpoints: error:', '  OPENAI_API_KEY is not set']
 * ```
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const [index, word] of text.split(' ').entries()) {
    const wide = displayWidth(word);
    if (index === 0 || used + 1 + wide <= width) {
      line += index === 0 ? word : ` ${word}`;
      used += (index === 0 ? 0 : 1) + wide;
    } else {
      lines.push(line);
      line = `${INDENT}${word}`;
      used = INDENT.length + wide;
    }
  }
  lines.push(line);
  return lines;
}

/** `line` as written to stderr: wrapped to `width` when there is one, and ending in a newline. */
export function messageText(line: string, width: number | undefined): string {
  return `${width === undefined ? line : wrapWords(line, width).join('\n')}\n`;
}
