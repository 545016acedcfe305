// The publish check of `npm run test:package` (scripts/lib/publish-warnings.mjs) sees what npm
// says only at publish time: a `./` bin path is "invalid and removed" (npm fixes it, but warns),
// and `npm pack` says nothing about it. Checked on a small package in a temp folder, both ways;
// test:package runs the same check on this package.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { publishWarnings } from '../scripts/lib/publish-warnings.mjs';
import { tempFolders } from './helpers/temp.js';

const tempFolder = tempFolders('file');

/** A publishable package in a temp folder whose one bin is at `binPath`. */
async function packageWithBin(binPath: string): Promise<string> {
  const dir = await tempFolder('ft-checkpoints-publish-');
  const manifest = {
    name: 'publish-warnings-probe',
    version: '1.0.0',
    description: 'probe',
    license: 'MIT',
    repository: { type: 'git', url: 'git+https://github.com/example/probe.git' },
    bin: { probe: binPath },
    files: ['cli.js'],
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'README.md'), '# probe\n');
  await writeFile(join(dir, 'cli.js'), '#!/usr/bin/env node\nconsole.log("probe");\n');
  await chmod(join(dir, 'cli.js'), 0o755);
  return dir;
}

describe.concurrent('npm publish --dry-run warnings', () => {
  it('catches the warning a ./ bin path gives', async ({ expect }) => {
    const result = await publishWarnings(await packageWithBin('./cli.js'));
    expect(result.error).toBeUndefined();
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/^npm warn publish "bin\[probe\]" script name cli\.js was invalid/),
    );
  });

  it('finds none once the path is written as npm writes it', async ({ expect }) => {
    expect(await publishWarnings(await packageWithBin('cli.js'))).toEqual({ warnings: [] });
  });
});
