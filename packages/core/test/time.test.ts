// API timestamps: exact to the microsecond whatever form Prefect's API sends them in, and
// nothing that is not a real instant accepted.
import { describe, expect, it } from 'vitest';
import { formatTimestamp, InvalidArgumentError, parseTimestamp, tryParseTimestamp } from '../src/index.js';

describe('parseTimestamp', () => {
  it('keeps the exact string, the instant to the microsecond and a millisecond Date', () => {
    const parsed = parseTimestamp('2021-05-12T17:59:56.383629+00:00');
    expect(parsed.raw).toBe('2021-05-12T17:59:56.383629+00:00');
    expect(parsed.epochMicros).toBe(BigInt(Date.UTC(2021, 4, 12, 17, 59, 56)) * 1000n + 383_629n);
    expect(parsed.date.toISOString()).toBe('2021-05-12T17:59:56.383Z');
  });

  it('reads every form the API and pendulum write, offsets applied', () => {
    const micros = (text: string) => parseTimestamp(text).epochMicros;
    const base = BigInt(Date.UTC(2021, 4, 12, 17, 0, 0)) * 1000n;
    expect(micros('2021-05-12T17:00:00Z')).toBe(base);
    expect(micros('2021-05-12 17:00:00+00')).toBe(base);
    expect(micros('2021-05-12T22:30:00+05:30')).toBe(base);
    expect(micros('2021-05-12T12:00:00-0500')).toBe(base);
    expect(micros('2021-05-12T17:00:00.5+00:00')).toBe(base + 500_000n);
    // Digits past the microsecond are cut, as PostgreSQL keeps microseconds.
    expect(micros('2021-05-12T17:00:00.123456789Z')).toBe(base + 123_456n);
    // The forms Hasura and PostgreSQL also accept (the rules of @runview/prefect, shared with the server).
    expect(micros('2021-05-12t17:00z')).toBe(base);
    expect(micros('2021-05-12T17:00:00,5Z')).toBe(base + 500_000n);
    expect(micros('2021-05-12')).toBe(base - 17n * 3_600_000_000n);
  });

  it('orders instants a Date cannot tell apart', () => {
    const a = parseTimestamp('2021-05-12T17:00:00.000001+00:00');
    const b = parseTimestamp('2021-05-12T17:00:00.000002+00:00');
    expect(a.date.getTime()).toBe(b.date.getTime());
    expect(a.epochMicros < b.epochMicros).toBe(true);
  });

  it('refuses what is not a real instant, with a typed error naming the argument', () => {
    for (const text of [
      '2021-02-29T00:00:00Z',
      '2021-04-31T00:00:00Z',
      '2021-13-01T00:00:00Z',
      '2021-05-12T24:00:00Z',
      '2021-05-12T17:59:60Z',
      '0000-01-01',
      '2021-05-12T17:00:00+16:00',
      'yesterday',
      '',
    ]) {
      expect(tryParseTimestamp(text), text).toBeNull();
    }
    expect(tryParseTimestamp('2024-02-29T00:00:00Z')?.date.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(tryParseTimestamp('2000-02-29T00:00:00Z')).not.toBeNull();
    expect(tryParseTimestamp('1900-02-29T00:00:00Z')).toBeNull();
    expect(() => parseTimestamp('not a time', 'startTime')).toThrow(InvalidArgumentError);
    expect(() => parseTimestamp('not a time', 'startTime')).toThrow(/startTime is not an ISO 8601 timestamp/);
  });
});

describe('formatTimestamp', () => {
  it("writes Python's isoformat of the UTC instant, as Prefect writes it", () => {
    expect(formatTimestamp(new Date('2021-05-12T17:59:56.383Z'))).toBe('2021-05-12T17:59:56.383000+00:00');
    expect(formatTimestamp(new Date('2021-05-12T17:59:56Z'))).toBe('2021-05-12T17:59:56+00:00');
  });

  it('refuses a Date that has no timestamp with a typed error and its cause', () => {
    expect(() => formatTimestamp(new Date(Number.NaN))).toThrow(InvalidArgumentError);
    const error = (() => {
      try {
        formatTimestamp(new Date('+010000-01-01T00:00:00Z'));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).cause).toBeInstanceOf(RangeError);
  });
});
