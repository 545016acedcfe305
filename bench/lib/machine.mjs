// Where and against what the numbers were measured, for the report header.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';

const versionOf = (packageJson) => JSON.parse(readFileSync(packageJson, 'utf8')).version;

export function describeMachine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function describeVersions() {
  const dep = (name) => versionOf(join(repoRoot, 'node_modules', name, 'package.json'));
  return {
    'fine-tuning-checkpoints': versionOf(join(repoRoot, 'package.json')),
    openai: dep('openai'),
    'openapi-fetch': dep('openapi-fetch'),
    esbuild: dep('esbuild'),
  };
}
