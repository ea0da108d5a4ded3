/**
 * Timestamps as Prefect clients send them: pendulum's isoformat (`2021-05-12T17:59:56.383629+00:00`),
 * a `Z` suffix, a space for the `T`, a date alone, or no offset at all (UTC, as Hasura assumes
 * with Prefect Server's UTC database). Normalized to one explicit form with its microseconds,
 * which PostgreSQL reads without loss whatever the session time zone.
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (value: number | string, width = 2): string => String(value).padStart(width, '0');

/**
 * Parses an ISO 8601 timestamp into `YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM`, or returns undefined
 * when it is not one (or names an impossible date or time). Digits past microseconds are cut,
 * as PostgreSQL rounds to microseconds anyway.
 */
export function normalizeTimestamp(text: string): string | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zulu, sign, oh, om = '00'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (oh !== undefined && (Number(oh) > 15 || Number(om) > 59)) return undefined;
  const micros = fraction === undefined ? '' : `.${fraction.slice(0, 6)}`;
  const offset = zulu !== undefined || sign === undefined ? '+00:00' : `${sign}${oh ?? '00'}:${om}`;
  return `${pad(y ?? '', 4)}-${pad(month)}-${pad(day)}T${h}:${mi}:${s}${micros}${offset}`;
}
