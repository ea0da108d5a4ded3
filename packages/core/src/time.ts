/**
 * Timestamps as Prefect's API sends them: ISO 8601 with 0 to 6 fractional digits and an
 * offset (`2021-05-12T17:59:56.383629+00:00`). A JavaScript `Date` keeps milliseconds only,
 * so the exact string and its epoch microseconds travel with it wherever order or identity
 * matters (log cursors, query bounds).
 */
import { InvalidArgumentError } from './errors.js';

/** A parsed API timestamp: the `Date`, the exact string, and the epoch in microseconds. */
export interface Timestamp {
  readonly date: Date;
  /** The string exactly as the server sent it. */
  readonly raw: string;
  /** Microseconds since the epoch (UTC), exact: orders timestamps that a `Date` cannot tell apart. */
  readonly epochMicros: bigint;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A parsed timestamp. Its exact epoch is a bigint, computed when first asked for: a page of
 * log lines is parsed far more often than its lines are compared.
 */
class ApiTimestamp implements Timestamp {
  readonly date: Date;
  readonly raw: string;
  readonly #millis: number;
  readonly #micros: number;
  #epochMicros: bigint | undefined;

  constructor(raw: string, utcMillis: number, micros: number) {
    this.raw = raw;
    this.#millis = utcMillis;
    this.#micros = micros;
    this.date = new Date(utcMillis + Math.floor(micros / 1000));
    Object.freeze(this);
  }

  get epochMicros(): bigint {
    this.#epochMicros ??= BigInt(this.#millis) * 1000n + BigInt(this.#micros);
    return this.#epochMicros;
  }
}

/** Parses an API timestamp, or returns null when the text is not one. */
export function tryParseTimestamp(raw: string): Timestamp | null {
  const match = ISO.exec(raw.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction = '', offset = 'Z'] = match as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return null;
  const micros = fraction === '' ? 0 : Number((fraction + '00000').slice(0, 6));
  let offsetMinutes = 0;
  if (offset !== 'Z' && offset !== 'z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const utcMillis = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  if (Number.isNaN(utcMillis)) return null;
  return new ApiTimestamp(raw, utcMillis, micros);
}

/**
 * Parses an API timestamp.
 *
 * @throws {@link InvalidArgumentError} when the text is not an ISO 8601 timestamp.
 */
export function parseTimestamp(raw: string, argument = 'timestamp'): Timestamp {
  const parsed = tryParseTimestamp(raw);
  if (!parsed) throw new InvalidArgumentError(argument, `${argument} is not an ISO 8601 timestamp: ${JSON.stringify(raw)}`);
  return parsed;
}

/**
 * Formats a `Date` the way Python's `isoformat()` does for a UTC datetime, which is what
 * Prefect writes and what the API accepts: `2021-05-12T17:59:56.383000+00:00`.
 */
export function formatTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('date', 'Invalid Date cannot be sent as a timestamp');
  const iso = date.toISOString(); // 2021-05-12T17:59:56.383Z
  return `${iso.slice(0, 23)}000+00:00`;
}

/**
 * A time bound given by a caller: a `Date`, or an ISO string sent as is (keeping its
 * microseconds). Returns the string to send.
 */
export function timeBound(value: Date | string, argument: string): string {
  if (typeof value === 'string') return parseTimestamp(value, argument).raw;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidArgumentError(argument, `${argument} must be a valid Date or an ISO 8601 string`);
  }
  return formatTimestamp(value);
}

/** Compares two timestamps exactly (microseconds), for sorting. */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.epochMicros < b.epochMicros ? -1 : a.epochMicros > b.epochMicros ? 1 : 0;
}
