import { describe, expect, test } from 'vitest';
import { durationBetween, formatClock, formatDate, formatDuration, formatRelative, formatRunDuration, formatTimestamp, shortId } from '../../src/format';

// The suite runs with TZ=UTC (vitest.config.ts): local time is UTC here.
describe('timestamps', () => {
  test('a timestamp reads to the second in local time; absent is a dash, garbage is kept', () => {
    expect(formatTimestamp('2021-05-12T19:59:56.383123+00:00')).toBe('2021-05-12 19:59:56');
    expect(formatTimestamp('2021-05-12T21:59:56+02:00')).toBe('2021-05-12 19:59:56');
    expect(formatTimestamp(null)).toBe('—');
    expect(formatTimestamp(undefined)).toBe('—');
    expect(formatTimestamp('not a time')).toBe('not a time');
  });

  test('a log line has a date and a clock with milliseconds', () => {
    expect(formatDate('1978-03-08T22:30:00+00:00')).toBe('1978-03-08');
    expect(formatDate('nope')).toBe('');
    expect(formatClock('1978-03-08T22:30:01.123456+00:00')).toBe('22:30:01.123');
    expect(formatClock('1978-03-08T22:30:01+00:00')).toBe('22:30:01.000');
    expect(formatClock('nope')).toBe('nope');
  });
});

describe('durations', () => {
  test.each([
    [0, '0ms'],
    [120.4, '120ms'],
    [999, '999ms'],
    [1000, '1.0s'],
    [4210, '4.2s'],
    [9_949, '9.9s'],
    [12_400, '12s'],
    [59_400, '59s'],
    [187_000, '3m 07s'],
    [3_720_000, '1h 02m'],
    [90_061_000, '1d 01h'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('a negative or infinite duration is a dash', () => {
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  test('a running run is measured up to now; one not started has no duration', () => {
    const now = Date.parse('2021-05-12T20:00:00Z');
    expect(durationBetween('2021-05-12T19:59:00Z', null, now)).toBe(60_000);
    expect(durationBetween('2021-05-12T19:59:00Z', '2021-05-12T19:59:30Z', now)).toBe(30_000);
    expect(durationBetween(null, null, now)).toBeUndefined();
    expect(durationBetween('garbage', null, now)).toBeUndefined();
    expect(formatRunDuration('2021-05-12T19:59:00Z', undefined, now)).toBe('1m 00s');
    expect(formatRunDuration(undefined, undefined, now)).toBe('—');
  });
});

describe('relative times', () => {
  const now = Date.parse('2021-05-12T20:00:00Z');
  test.each([
    ['2021-05-12T19:59:30Z', 'just now'],
    ['2021-05-12T19:55:00Z', '5 min ago'],
    ['2021-05-12T17:00:00Z', '3 h ago'],
    ['2021-05-10T20:00:00Z', '2 d ago'],
    // A server clock a little ahead is not "the future"; far ahead is.
    ['2021-05-12T20:01:00Z', 'just now'],
    ['2021-05-12T20:10:00Z', 'in 10 min'],
    // Past a week the date says more.
    ['2021-04-01T08:00:00Z', '2021-04-01 08:00:00'],
  ])('%s is %s', (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });

  test('absent is a dash, garbage is kept', () => {
    expect(formatRelative(null, now)).toBe('—');
    expect(formatRelative('soon', now)).toBe('soon');
  });
});

test('a short id is the first block of the uuid', () => {
  expect(shortId('4c0101af-c6bb-4b96-8661-63a5bbfb5596')).toBe('4c0101af');
  expect(shortId('plain')).toBe('plain');
});
