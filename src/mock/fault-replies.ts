/**
 * The faults that change what is said rather than how it is delivered: each turns the normal
 * outcome into a different reply. Transport faults (reset, hang, slow-body, truncated) are in
 * deliver.ts.
 */
import type { Outcome } from './answer.js';
import { pageReply } from './answer.js';
import { statusFaultBody, type Reply } from './errors.js';
import type { Fault, StatusFault } from './faults.js';
import type { ListFineTuningJobCheckpointsResponse } from '../types.js';
import { sliceFrom } from './store.js';

/**
 * Whether a `repeat-cursor` fault can be shown on this outcome: only a successful page requested
 * with an `after` has a cursor to repeat.
 */
export function canRepeatCursor(outcome: Outcome): boolean {
  return outcome.page !== undefined && outcome.page.afterIndex >= 0;
}

function statusReply(fault: StatusFault): Reply {
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.shouldRetry !== undefined) headers['x-should-retry'] = String(fault.shouldRetry);
  const body = fault.body ?? JSON.stringify(statusFaultBody(fault.status));
  return { status: fault.status, headers, body };
}

/**
 * Repeats the page that ends at `after` instead of the one after it: the data, `last_id` and
 * `has_more: true` all point back at the same cursor, so a client trusting the cursor loops.
 */
function repeatCursorReply(outcome: Outcome): Reply {
  const page = outcome.page;
  if (page === undefined || page.afterIndex < 0) return outcome.reply;
  const start = Math.max(0, page.afterIndex - page.limit + 1);
  const { data } = sliceFrom(page.job.ordered, start, page.afterIndex + 1 - start);
  return pageReply(data, true);
}

/** `data` as an object keyed by position: plausible JSON, but not the array the schema requires. */
function badShapeReply(outcome: Outcome): Reply {
  const page = outcome.page;
  const items = page ? sliceFrom(page.job.ordered, page.afterIndex + 1, page.limit).data : [];
  const body = {
    object: 'list',
    data: Object.fromEntries(items.map((item, i) => [String(i), item])),
    first_id: null,
    last_id: null,
    has_more: false,
  };
  return { status: 200, headers: {}, body: JSON.stringify(body) };
}

function noCursorReply(): Reply {
  const body: ListFineTuningJobCheckpointsResponse = {
    object: 'list',
    data: [],
    first_id: null,
    last_id: null,
    has_more: true,
  };
  return { status: 200, headers: {}, body: JSON.stringify(body) };
}

/** A response cut off mid-value, as a crashed upstream or a buggy proxy might send. */
const MALFORMED_JSON = '{"object":"list","data":[{"object":"fine_tuning.job.checkpoint","id":';

/** A gateway error page, the classic body behind a wrong content type. */
const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>502 Bad Gateway</h1></body></html>\n';

/**
 * The reply to send for a fault; transport faults keep the normal reply, which deliver.ts then
 * sends badly.
 */
export function replyFor(fault: Fault | undefined, outcome: Outcome): Reply {
  switch (fault?.kind) {
    case 'status':
      return statusReply(fault);
    case 'malformed-json':
      return { status: 200, headers: {}, body: MALFORMED_JSON };
    case 'wrong-content-type':
      return {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: HTML_PAGE,
      };
    case 'bad-shape':
      return badShapeReply(outcome);
    case 'repeat-cursor':
      return repeatCursorReply(outcome);
    case 'no-cursor':
      return noCursorReply();
    default:
      return outcome.reply;
  }
}
