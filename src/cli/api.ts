/**
 * The client every API command uses, configured from the command line and the CLI's own
 * environment (`io.env`): the key, organization and project are always passed explicitly, so
 * the library never reads `process.env` behind the CLI's back.
 */
import {
  createCheckpointsClient,
  DEFAULT_BASE_URL,
  type CheckpointsClient,
  type CheckpointsClientOptions,
} from '../index.js';
import type { ApiSettings } from './args.js';
import { UsageError } from './exit.js';
import type { CliIO } from './io.js';

/** Checkpoints per page for commands that read every page, unless `--limit` says otherwise. */
export const FULL_SCAN_LIMIT = 100;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The API key from `io.env`, trimmed (a stray newline from copy-paste would fail every request). */
export function apiKeyOf(io: CliIO): string | undefined {
  return nonEmpty(io.env.OPENAI_API_KEY);
}

/**
 * A client for `settings`: `--organization` / `--project` over `OPENAI_ORG_ID` /
 * `OPENAI_PROJECT_ID`, and `--timeout` / `--max-retries` when given.
 *
 * @throws {@link UsageError} when `OPENAI_API_KEY` is unset: checked here, not left to the
 * client, so the message names the variable and the CLI never looks anywhere else for a key.
 */
export function clientFor(settings: ApiSettings, command: string, io: CliIO): CheckpointsClient {
  const apiKey = apiKeyOf(io);
  if (apiKey === undefined) {
    throw new UsageError(
      'OPENAI_API_KEY is not set; export it first (export OPENAI_API_KEY=sk-...): ' +
        'ft-checkpoints reads the key only from the environment',
      command,
    );
  }
  const organization = settings.organization ?? nonEmpty(io.env.OPENAI_ORG_ID);
  const project = settings.project ?? nonEmpty(io.env.OPENAI_PROJECT_ID);
  const options: CheckpointsClientOptions = {
    apiKey,
    // Always passed, so the client never falls back to process.env.
    baseUrl: settings.baseUrl ?? DEFAULT_BASE_URL,
    ...(organization === undefined ? {} : { organization }),
    ...(project === undefined ? {} : { project }),
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    ...(settings.maxRetries === undefined ? {} : { maxRetries: settings.maxRetries }),
  };
  return createCheckpointsClient(options);
}

/** The host requests go to, for the waiting line. */
export function hostOf(settings: ApiSettings): string {
  return new URL(settings.baseUrl ?? DEFAULT_BASE_URL).host;
}
