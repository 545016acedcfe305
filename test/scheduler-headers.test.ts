// What the scheduler reads from a response: OpenAI's durations, the x-ratelimit-*-requests
// headers, and how long a 429 asks to wait. Every header is hostile until it parses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_HEADER_WAIT_MS,
  parseDuration,
  rateLimitWait,
  readRateLimit,
} from '../src/rate-limit-headers.js';

describe('parseDuration', () => {
  it.each([
    ['1s', 1_000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['0', 0],
    ['0s', 0],
    ['1.5s', 1_500],
    ['946µs', 0.946],
    ['946μs', 0.946],
    ['2us', 0.002],
    ['500000ns', 0.5],
    [' 7ms ', 7],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    '',
    '1',
    's',
    '-1s',
    '1x',
    '1s 2m',
    'Infinity',
    '1e3s',
    '.5s',
    '1..5s',
    '1d',
    `${'1'.repeat(70)}s`,
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('reads back any duration written in Go notation', () => {
    fc.assert(
      fc.property(
        fc.nat(99),
        fc.nat(59),
        fc.nat(59),
        fc.nat(999),
        (hours, minutes, seconds, ms) => {
          const text = `${hours}h${minutes}m${seconds}s${ms}ms`;
          expect(parseDuration(text)).toBe(((hours * 60 + minutes) * 60 + seconds) * 1_000 + ms);
        },
      ),
    );
  });
});

const headers = (fields: Record<string, string>) => new Headers(fields);
const limitHeaders = (limit: string, remaining: string, reset: string) =>
  headers({
    'x-ratelimit-limit-requests': limit,
    'x-ratelimit-remaining-requests': remaining,
    'x-ratelimit-reset-requests': reset,
  });

describe('readRateLimit', () => {
  it("reads OpenAI's three request headers", () => {
    expect(readRateLimit(limitHeaders('10000', '9999', '6ms'))).toEqual({
      limit: 10_000,
      remaining: 9_999,
      resetMs: 6,
    });
  });

  it.each([
    ['a header missing', headers({ 'x-ratelimit-limit-requests': '20' })],
    ['a limit of 0', limitHeaders('0', '0', '1s')],
    ['more remaining than the limit', limitHeaders('20', '21', '1s')],
    ['a negative count', limitHeaders('20', '-1', '1s')],
    ['a count in exponent notation', limitHeaders('1e3', '5', '1s')],
    ['an unreadable duration', limitHeaders('20', '5', 'soon')],
    ['a 16-digit count', limitHeaders('1234567890123456', '5', '1s')],
  ])('is undefined for %s', (_case, fields) => {
    expect(readRateLimit(fields)).toBeUndefined();
  });
});

describe('rateLimitWait', () => {
  it('prefers retry-after-ms, then Retry-After, then x-ratelimit-reset-requests', () => {
    const all = { 'retry-after-ms': '40', 'retry-after': '2', 'x-ratelimit-reset-requests': '3s' };
    expect(rateLimitWait(headers(all))).toBe(40);
    expect(rateLimitWait(headers({ ...all, 'retry-after-ms': '' }))).toBe(2_000);
    expect(rateLimitWait(headers({ 'x-ratelimit-reset-requests': '3s' }))).toBe(3_000);
  });

  it('reads an HTTP date against the clock', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(rateLimitWait(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(
      5_000,
    );
  });

  it('is at most an hour, whatever the server asks', () => {
    expect(rateLimitWait(headers({ 'retry-after': '999999999' }))).toBe(MAX_HEADER_WAIT_MS);
    expect(rateLimitWait(headers({ 'x-ratelimit-reset-requests': '9999h' }))).toBe(
      MAX_HEADER_WAIT_MS,
    );
  });

  it('is undefined when the response names no wait', () => {
    expect(rateLimitWait(headers({}))).toBeUndefined();
    expect(rateLimitWait(headers({ 'retry-after': 'later' }))).toBeUndefined();
  });
});
