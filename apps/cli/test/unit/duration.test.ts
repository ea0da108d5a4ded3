// Durations as printed (`4.2s`, `1h 0m 12s`) and as given to options (--timeout,
// --request-timeout, --interval, --since).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatSpan, parseDuration, parseSince } from '../../src/output/duration.js';

// formatDuration is core's (packages/core/test/display.test.ts).
describe('formatSpan', () => {
  const start = new Date('2021-05-12T17:59:56Z');

  it('is the time from start to end, to now while running, `-` before the start', () => {
    expect(formatSpan(start, new Date('2021-05-12T18:01:01Z'))).toBe('1m 5s');
    expect(formatSpan(start, null, new Date('2021-05-12T18:00:00.500Z'))).toBe('4.5s');
    expect(formatSpan(null, new Date())).toBe('-');
    expect(formatSpan(undefined, undefined)).toBe('-');
  });
});

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['1.5', 1500],
    ['90s', 90_000],
    ['250ms', 250],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    [' 10S ', 10_000],
    ['1m30s500ms', 90_500],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  it.each(['', 'soon', '10 s', '-5s', '5x', '1h-30m', 's'])('%j is a usage error naming the option', (text) => {
    expect(() => parseDuration(text, '--request-timeout')).toThrow(UsageError);
    expect(() => parseDuration(text, '--request-timeout')).toThrow(
      `--request-timeout must be a duration such as 30s, 5m, 1h30m or a number of seconds, got ${JSON.stringify(text)}`,
    );
  });

  it.each(['0', '0s', '0ms0s'])('%j is not a positive duration', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(`--timeout must be a positive duration, got ${JSON.stringify(text)}`);
  });

  it('a usage error ends with exit code 2', () => {
    expect(() => parseDuration('soon', '--timeout')).toThrow(expect.objectContaining({ exitCode: 2, code: 'USAGE' }));
  });
});

describe('parseSince', () => {
  const now = new Date('2021-05-12T18:00:00Z');

  it('takes a duration back from now', () => {
    expect(parseSince('15m', '--since', now).toISOString()).toBe('2021-05-12T17:45:00.000Z');
    expect(parseSince('1d', '--since', now).toISOString()).toBe('2021-05-11T18:00:00.000Z');
  });

  it('takes an ISO date or timestamp', () => {
    expect(parseSince('2021-05-12T17:59:56Z', '--since', now).toISOString()).toBe('2021-05-12T17:59:56.000Z');
    expect(parseSince('2021-05-12', '--since', now).toISOString()).toBe('2021-05-12T00:00:00.000Z');
    // By the API's rules: PostgreSQL's form, and no offset is UTC whatever the machine's zone.
    expect(parseSince('2021-05-12 19:59:56.5+02', '--since', now).toISOString()).toBe('2021-05-12T17:59:56.500Z');
    expect(parseSince('2021-05-12T17:59:56', '--since', now).toISOString()).toBe('2021-05-12T17:59:56.000Z');
  });

  it('refuses anything else, naming the option', () => {
    for (const text of ['yesterday', '2021-13-45', '2021-02-29', '15 minutes']) {
      expect(() => parseSince(text, '--since', now)).toThrow(UsageError);
    }
    expect(() => parseSince('yesterday')).toThrow(
      /^--since must be an ISO 8601 time \(2021-05-12T17:00:00Z\) or a duration back from now \(15m, 2h, 1d\), got "yesterday"$/,
    );
  });
});
