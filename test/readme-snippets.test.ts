// Every TypeScript or JavaScript sample in README.md is an excerpt, verbatim, of a program in
// examples/ (possibly dedented), which `npm run typecheck` type-checks and test/examples.test.ts runs against the mock.
// So a README sample cannot drift from the API: change the example, then paste it.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);

/** The fenced code blocks of a Markdown text whose language is one of `languages`. */
function codeBlocks(markdown: string, languages: string[]): string[] {
  const blocks: string[] = [];
  for (const match of markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)) {
    if (languages.includes(match[1]!)) blocks.push(match[2]!);
  }
  return blocks;
}

/** Whether `sample` appears in `text` line for line, at any one indentation (samples are dedented). */
function containsExcerpt(text: string, sample: string): boolean {
  return [0, 2, 4, 6, 8].some((width) => {
    const indent = ' '.repeat(width);
    const indented = sample
      .split('\n')
      .map((line) => (line === '' ? line : indent + line))
      .join('\n');
    return text.includes(indented);
  });
}

const readme = await readFile(new URL('README.md', root), 'utf8');
const exampleNames = (await readdir(new URL('examples/', root))).filter((n) =>
  /\.m?[jt]s$/.test(n),
);
const examples = await Promise.all(
  exampleNames.map(async (name) => ({
    name,
    text: await readFile(new URL(`examples/${name}`, root), 'utf8'),
  })),
);

describe('README.md code samples', () => {
  const samples = codeBlocks(readme, ['ts', 'js', 'typescript', 'javascript']);

  it('has samples to check', () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  it.each(samples.map((sample, i) => [i + 1, sample] as const))(
    'sample %i is an excerpt of a file in examples/',
    (_index, sample) => {
      const source = examples.find((example) => containsExcerpt(example.text, sample));
      expect(source, `not found verbatim in examples/:\n${sample}`).toBeDefined();
    },
  );
});

describe('the "Testing your service" sample of README.md', () => {
  const heading = '## Testing your service with the mock API';
  const section = readme.slice(
    readme.indexOf(heading),
    readme.indexOf('\n## ', readme.indexOf(heading) + 1),
  );
  const [sample] = codeBlocks(section, ['ts']);

  it('is examples/service.test.ts whole, so that it can be copied as it stands', () => {
    const file = examples.find((example) => example.name === 'service.test.ts');
    expect(sample).toBeDefined();
    expect(sample).toBe(file?.text);
  });

  it('ranks with bestCheckpoint, as `ft-checkpoints best` does', () => {
    expect(sample).toMatch(
      /^import \{[^}]*\bbestCheckpoint,[^}]*\} from 'fine-tuning-checkpoints';$/m,
    );
    expect(sample).toContain('await bestCheckpoint(client.listCheckpoints(');
  });
});
