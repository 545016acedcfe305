/**
 * Builders for the API's error envelope (`ErrorResponse`). Messages imitate the real API's
 * wording so that clients which surface them produce realistic output.
 */
import type { ErrorResponse } from '../types.js';

/** A response the mock will send, before any fault is applied. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Builds an error envelope. */
export function errorBody(
  message: string,
  type: string,
  param: string | null,
  code: string | null,
): ErrorResponse {
  return { error: { message, type, param, code } };
}

/** A JSON reply carrying an error envelope. */
export function errorReply(
  status: number,
  error: ErrorResponse,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: JSON.stringify(error) };
}

/** Shows only the ends of a key, as the real API does in "Incorrect API key provided". */
function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`;
}

/** 401 for a missing or wrong bearer token. */
export function unauthorized(token: string | undefined): Reply {
  const message =
    token === undefined
      ? "You didn't provide an API key. You need to provide your API key in an Authorization " +
        'header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).'
      : `Incorrect API key provided: ${maskKey(token)}.`;
  return errorReply(401, errorBody(message, 'invalid_request_error', null, 'invalid_api_key'));
}

/** 404 for a path the mock does not serve. */
export function invalidUrl(method: string, path: string): Reply {
  return errorReply(
    404,
    errorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error', null, null),
  );
}

/** 405 for the checkpoints path with a method other than GET. */
export function methodNotAllowed(method: string, path: string): Reply {
  return errorReply(
    405,
    errorBody(`Invalid method for URL (${method} ${path})`, 'invalid_request_error', null, null),
    { allow: 'GET' },
  );
}

/** 404 for a job id the mock has no checkpoints for. */
export function jobNotFound(jobId: string): Reply {
  return errorReply(
    404,
    errorBody(
      `Could not find fine-tuning job: ${jobId}.`,
      'invalid_request_error',
      'fine_tuning_job_id',
      'fine_tune_not_found',
    ),
  );
}

/** 400 for a bad query parameter. */
export function invalidParam(param: string, message: string, code: string | null): Reply {
  return errorReply(400, errorBody(message, 'invalid_request_error', param, code));
}

/**
 * The default body of a `status` fault: the envelope the real API uses for that class of
 * status, so clients see the same shape they would in production.
 */
export function statusFaultBody(status: number): ErrorResponse {
  if (status === 429) {
    return errorBody(
      'Rate limit reached for requests. Please try again later.',
      'requests',
      null,
      'rate_limit_exceeded',
    );
  }
  if (status >= 500) {
    return errorBody(
      'The server had an error while processing your request. Sorry about that!',
      'server_error',
      null,
      null,
    );
  }
  return errorBody(`Injected HTTP ${status} error.`, 'invalid_request_error', null, null);
}
