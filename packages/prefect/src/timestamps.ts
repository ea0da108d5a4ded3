/**
 * Timestamps, one rule set for both sides of the API: what Prefect sends (pendulum's isoformat,
 * `2021-05-12T17:59:56.383629+00:00`), what Hasura and PostgreSQL accept and write
 * (`2021-05-12 17:59:56.383629+00`), a `Z`, a date alone. Exact to the microsecond, which a
 * JavaScript `Date` is not: the exact instant travels as a bigint beside it.
 *
 * Accepted: `YYYY-MM-DD`, then optionally `T` (or `t`, or a space) and `HH:MM`, `:SS`, a fraction
 * after `.` or `,` (digits past the microsecond are cut, as PostgreSQL keeps microseconds), then
 * optionally `Z` or an offset `±HH`, `±HHMM`, `±HH:MM` (`:SS` too, as PostgreSQL writes local mean
 * time) up to ±15:59, PostgreSQL's range. Without an offset the time is UTC, as Prefect Server's
 * database reads it. Years 1 to 9999 (Python's datetime and PostgreSQL share them), hours up to
 * 23, seconds up to 59, and only days the month has; in UTC too (`0001-01-01T00:00:00+05:00` is
 * in year 0 there).
 */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?)?$/;

const MAX_OFFSET_HOURS = 15;

/** A parsed timestamp. */
export interface Timestamp {
  /** The text exactly as given. */
  readonly raw: string;
  /** The instant to the millisecond (a `Date` holds no more). */
  readonly date: Date;
  /** Microseconds since the epoch (UTC), exact: orders instants that a `Date` cannot tell apart. */
  readonly epochMicros: bigint;
  /**
   * The same instant in one explicit form, `YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM[:SS]`, keeping the
   * offset it was given in (UTC when none), which PostgreSQL reads without loss whatever its
   * session time zone.
   */
  readonly normalized: string;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, for any year (`Date.UTC` maps years
 * 0 to 99 onto 1900 to 1999).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The first and last second of years 1 to 9999 in UTC. */
const FIRST_SECOND = daysFromCivil(1, 1, 1) * 86_400;
const LAST_SECOND = daysFromCivil(10_000, 1, 1) * 86_400 - 1;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

class ParsedTimestamp implements Timestamp {
  readonly raw: string;
  readonly date: Date;
  readonly normalized: string;
  readonly #epochSeconds: number;
  readonly #micros: number;
  #epochMicros: bigint | undefined;

  constructor(raw: string, normalized: string, epochSeconds: number, micros: number) {
    this.raw = raw;
    this.normalized = normalized;
    this.#epochSeconds = epochSeconds;
    this.#micros = micros;
    this.date = new Date(epochSeconds * 1000 + Math.floor(micros / 1000));
    Object.freeze(this);
  }

  // Computed when first asked for: a page of log lines is parsed far more often than compared.
  get epochMicros(): bigint {
    this.#epochMicros ??= BigInt(this.#epochSeconds) * 1_000_000n + BigInt(this.#micros);
    return this.#epochMicros;
  }
}

/** Parses a timestamp by the rules above, or returns null when the text is not one. */
export function parseTimestamp(raw: string): Timestamp | null {
  const match = TIMESTAMP.exec(raw.trim());
  if (match === null) return null;
  const [, y = '', mo = '', d = '', h = '0', mi = '0', s = '0', fraction = '', zulu, sign, oh = '0', om = '0', os = '0'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const [offsetHours, offsetMinutes, offsetSeconds] = [oh, om, os].map(Number) as [number, number, number];
  if (offsetHours > MAX_OFFSET_HOURS || offsetMinutes > 59 || offsetSeconds > 59) return null;
  const direction = sign === '-' ? -1 : 1;
  const offset = zulu !== undefined || sign === undefined ? 0 : direction * (offsetHours * 3600 + offsetMinutes * 60 + offsetSeconds);
  const micros = fraction === '' ? 0 : Number(fraction.slice(0, 6).padEnd(6, '0'));
  const epochSeconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
  // An offset can carry a time on the first or last day past the years a UTC instant can have.
  if (epochSeconds < FIRST_SECOND || epochSeconds > LAST_SECOND) return null;
  const offsetText =
    offset === 0 ? '+00:00' : `${direction < 0 ? '-' : '+'}${pad(offsetHours)}:${pad(offsetMinutes)}${offsetSeconds === 0 ? '' : `:${pad(offsetSeconds)}`}`;
  const fractionText = fraction === '' ? '' : `.${fraction.slice(0, 6)}`;
  const normalized = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fractionText}${offsetText}`;
  return new ParsedTimestamp(raw, normalized, epochSeconds, micros);
}

/** True when the text is a timestamp by the rules above. */
export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && parseTimestamp(value) !== null;
}

/**
 * An instant as Prefect writes it: Python's `isoformat()` of a UTC datetime
 * (`2021-05-12T17:59:56.383629+00:00`; no fraction when the microsecond is zero, as Python
 * writes it). The instant is a `Date` plus `extraMicroseconds` (0 to 999 to add the
 * microseconds a `Date` cannot hold), or exact epoch microseconds.
 *
 * @throws {@link RangeError} for an invalid `Date` or an instant outside years 1 to 9999.
 */
export function formatTimestamp(instant: Date | bigint, extraMicroseconds = 0): string {
  let micros: bigint;
  if (typeof instant === 'bigint') micros = instant;
  else {
    const millis = instant.getTime();
    if (!Number.isFinite(millis)) throw new RangeError('An invalid Date has no timestamp');
    micros = BigInt(millis) * 1000n + BigInt(Math.trunc(extraMicroseconds));
  }
  const seconds = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
  const fraction = Number(micros - seconds * 1_000_000n);
  const base = new Date(Number(seconds) * 1000);
  const year = base.getUTCFullYear();
  if (year < 1 || year > 9999) throw new RangeError(`Year ${year} is outside the years a timestamp can have (1 to 9999)`);
  const date = `${pad(year, 4)}-${pad(base.getUTCMonth() + 1)}-${pad(base.getUTCDate())}`;
  const time = `${pad(base.getUTCHours())}:${pad(base.getUTCMinutes())}:${pad(base.getUTCSeconds())}`;
  return `${date}T${time}${fraction === 0 ? '' : `.${pad(fraction, 6)}`}+00:00`;
}

/** Orders two timestamps exactly (to the microsecond). */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.epochMicros < b.epochMicros ? -1 : a.epochMicros > b.epochMicros ? 1 : 0;
}
