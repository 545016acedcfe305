// Under `exactOptionalPropertyTypes` (a consumer's choice, stricter than ours), every optional
// option still accepts an explicit `undefined`: test/types-exact.fixture.ts compiles cleanly with
// the flag on, and the flag is shown to be on by a snippet it must reject.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

function diagnostics(files: Record<string, string>, rootNames: string[]): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => name in files || fileExists(name);
  host.readFile = (name) => files[name] ?? readFile(name);
  host.getSourceFile = (name, version, ...rest) =>
    name in files
      ? ts.createSourceFile(name, files[name]!, version)
      : getSourceFile(name, version, ...rest);
  const program = ts.createProgram(rootNames, options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

describe('exactOptionalPropertyTypes', () => {
  it('explicit undefined is accepted for every optional option, query field and mock option', () => {
    expect(diagnostics({}, [join(here, 'types-exact.fixture.ts')])).toEqual([]);
  }, 60_000);

  it('the flag is on: a type without `| undefined` rejects an explicit undefined', () => {
    const probe = join(here, 'types-exact.probe.ts');
    const found = diagnostics(
      { [probe]: 'interface Strict { a?: number }\nexport const s: Strict = { a: undefined };\n' },
      [probe],
    );
    expect(found.join('\n')).toMatch(/exactOptionalPropertyTypes/);
  }, 60_000);
});
