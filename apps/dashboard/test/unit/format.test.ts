import { describe, expect, test } from 'vitest';
import { formatClock, formatDate, formatRelative, formatRunDuration, formatTimestamp, shortId } from '../../src/format';

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

// The duration format itself is core's, tested once there (packages/core/test/display.test.ts).
describe('run durations', () => {
  test("a running run is measured up to now; one not started is a dash; the format is the CLI's", () => {
    const now = Date.parse('2021-05-12T20:00:00Z');
    expect(formatRunDuration('2021-05-12T19:59:00Z', undefined, now)).toBe('1m 0s');
    expect(formatRunDuration('2021-05-12T19:59:00Z', '2021-05-12T19:59:04.2Z', now)).toBe('4.2s');
    expect(formatRunDuration('1978-02-01T22:30:00Z', '1978-03-08T22:30:02Z', now)).toBe('35d 0h');
    expect(formatRunDuration(undefined, undefined, now)).toBe('—');
    expect(formatRunDuration('garbage', null, now)).toBe('—');
  });
});

describe('relative times', () => {
  const now = Date.parse('2021-05-12T20:00:00Z');
  test.each([
    ['2021-05-12T19:59:55Z', 'a few seconds ago'],
    ['2021-05-12T19:59:30Z', '30 seconds ago'],
    ['2021-05-12T19:55:00Z', '5 minutes ago'],
    ['2021-05-12T17:00:00Z', '3 hours ago'],
    ['2021-05-10T20:00:00Z', '2 days ago'],
    // A server clock ahead of the browser's is not "the future".
    ['2021-05-12T20:01:00Z', 'a few seconds ago'],
    ['2021-05-12T20:10:00Z', 'a few seconds ago'],
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
