// One rule set for timestamps on both sides of the API, exact to the microsecond: what Prefect
// sends, what Hasura and PostgreSQL accept and write; nothing that is not a real instant.
import { describe, expect, it } from 'vitest';
import { compareTimestamps, formatTimestamp, isTimestamp, parseTimestamp } from '../src/index.js';

const micros = (text: string): bigint | undefined => parseTimestamp(text)?.epochMicros;
const base = BigInt(Date.UTC(2021, 4, 12, 17, 0, 0)) * 1000n;

describe('parseTimestamp', () => {
  it('keeps the text as given, the exact instant and a millisecond Date', () => {
    const parsed = parseTimestamp('2021-05-12T17:59:56.383629+00:00');
    expect(parsed?.raw).toBe('2021-05-12T17:59:56.383629+00:00');
    expect(parsed?.epochMicros).toBe(BigInt(Date.UTC(2021, 4, 12, 17, 59, 56)) * 1000n + 383_629n);
    expect(parsed?.date.toISOString()).toBe('2021-05-12T17:59:56.383Z');
    expect(Object.isFrozen(parsed)).toBe(true);
  });

  it("reads Prefect's isoformat, PostgreSQL's text, a Z, a date alone, offsets applied", () => {
    expect(micros('2021-05-12T17:00:00Z')).toBe(base);
    expect(micros('2021-05-12t17:00z')).toBe(base);
    expect(micros('2021-05-12 17:00:00+00')).toBe(base);
    expect(micros('2021-05-12 17:00:00')).toBe(base);
    expect(micros('2021-05-12T22:30:00+05:30')).toBe(base);
    expect(micros('2021-05-12T12:00:00-0500')).toBe(base);
    expect(micros('2021-05-12T17:53:28+00:53:28')).toBe(base);
    expect(micros(' 2021-05-12T17:00:00 +00:00 ')).toBe(base);
    expect(micros('2021-05-12')).toBe(base - 17n * 3_600_000_000n);
    expect(micros('2021-05-12T17:00:00.5+00:00')).toBe(base + 500_000n);
    expect(micros('2021-05-12T17:00:00,25Z')).toBe(base + 250_000n);
    // Digits past the microsecond are cut, as PostgreSQL keeps microseconds.
    expect(micros('2021-05-12T17:00:00.1234567891Z')).toBe(base + 123_456n);
  });

  it('orders instants a Date cannot tell apart', () => {
    const a = parseTimestamp('2021-05-12T17:00:00.000001+00:00');
    const b = parseTimestamp('2021-05-12T17:00:00.000002+00:00');
    if (a === null || b === null) throw new Error('unparsed');
    expect(a.date.getTime()).toBe(b.date.getTime());
    expect([compareTimestamps(a, b), compareTimestamps(b, a), compareTimestamps(a, a)]).toEqual([-1, 1, 0]);
  });

  it('counts years below 100 as themselves, not as the 1900s', () => {
    expect(parseTimestamp('0001-01-01T00:00:00Z')?.date.getUTCFullYear()).toBe(1);
    expect(parseTimestamp('0099-12-31T23:59:59Z')?.date.getUTCFullYear()).toBe(99);
    expect(parseTimestamp('9999-12-31T23:59:59.999999Z')?.date.toISOString()).toBe('9999-12-31T23:59:59.999Z');
  });

  it('normalizes to one explicit form, keeping the offset it was given', () => {
    const normalized = (text: string) => parseTimestamp(text)?.normalized;
    expect(normalized('2021-05-12T17:59:56.383629Z')).toBe('2021-05-12T17:59:56.383629+00:00');
    expect(normalized('2019-01-01')).toBe('2019-01-01T00:00:00+00:00');
    expect(normalized('2021-05-12T19:59:56-0530')).toBe('2021-05-12T19:59:56-05:30');
    expect(normalized('2021-05-12 19:59:56,5+02')).toBe('2021-05-12T19:59:56.5+02:00');
    expect(normalized('1890-01-01 00:00:00+00:53:28')).toBe('1890-01-01T00:00:00+00:53:28');
    expect(normalized('2021-05-12T17:59:56.1234567+00:00')).toBe('2021-05-12T17:59:56.123456+00:00');
  });

  it.each([
    '2021-02-29T00:00:00Z',
    '1900-02-29',
    '2021-04-31',
    '2021-13-01',
    '2021-00-10',
    '2021-05-00',
    '0000-01-01T00:00:00+00:00',
    '0001-01-01T00:00:00+05:00',
    '9999-12-31T23:00:00-01:00',
    '2021-05-12T24:00:00Z',
    '2021-05-12T17:60',
    '2021-05-12T17:59:60Z',
    '2021-05-12T17:59:56+16:00',
    '2021-05-12T17:59:56+05:60',
    '2021-05-12T17:59:56.+00:00',
    '2021-5-12',
    '12/05/2021',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(parseTimestamp(text)).toBeNull();
    expect(isTimestamp(text)).toBe(false);
  });

  it('accepts leap days that exist', () => {
    expect(isTimestamp('2024-02-29T00:00:00Z')).toBe(true);
    expect(isTimestamp('2000-02-29')).toBe(true);
    expect(isTimestamp(20_240_229)).toBe(false);
  });
});

describe('formatTimestamp', () => {
  it("writes Python's isoformat of a UTC datetime: microseconds kept, none when zero", () => {
    expect(formatTimestamp(new Date('2021-05-12T17:59:56.383Z'))).toBe('2021-05-12T17:59:56.383000+00:00');
    expect(formatTimestamp(new Date('2021-05-12T17:59:56.383Z'), 629)).toBe('2021-05-12T17:59:56.383629+00:00');
    expect(formatTimestamp(new Date('2021-05-12T17:59:56Z'))).toBe('2021-05-12T17:59:56+00:00');
    expect(formatTimestamp(base + 1n)).toBe('2021-05-12T17:00:00.000001+00:00');
    expect(formatTimestamp(-1n)).toBe('1969-12-31T23:59:59.999999+00:00');
  });

  it('round-trips every instant exactly through parseTimestamp', () => {
    for (const text of [
      '2021-05-12T17:59:56.383629+00:00',
      '0001-01-01T00:00:00+00:00',
      '9999-12-31T23:59:59.999999+00:00',
      '1970-01-01T00:00:00.000001+00:00',
    ]) {
      const parsed = parseTimestamp(text);
      expect(parsed && formatTimestamp(parsed.epochMicros)).toBe(text);
    }
  });

  it('refuses what has no timestamp', () => {
    expect(() => formatTimestamp(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => formatTimestamp(new Date('+010000-01-01T00:00:00Z'))).toThrow(/Year 10000/);
  });
});
