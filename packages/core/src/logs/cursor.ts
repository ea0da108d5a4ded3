/**
 * Positions in a history ordered by `(timestamp, id)` (log lines, state changes), and the log
 * cursor a reader stores to resume: its JSON forms and their checks.
 *
 * A cursor has two versions. Version 1, `{ timestamp, id }` (also a line's own `cursor`),
 * means "every line after this position comes next". Version 2 adds what a reader needs to
 * take in lines that were written late, behind positions it has passed (see `overlap.ts`):
 * the `floor` below which it reads nothing again, and the ids it handed out above it (`seen`).
 * Its `timestamp` and `id` are still the newest line handed out, so a reader that knows only
 * version 1 resumes from a version 2 cursor as before.
 */
import * as z from 'zod/mini';
import { InvalidArgumentError } from '../errors.js';
import { parseInput, timestampString, uuidString } from '../schemas.js';
import { tryParseTimestamp } from '../time.js';

/** A position in a history: every row after `(timestamp, id)` comes next. Plain JSON. */
export interface HistoryPosition {
  /** The exact timestamp string of a row. */
  readonly timestamp: string;
  /** The row's id. */
  readonly id: string;
}

/**
 * Where a log reader stands: plain JSON, to store and pass back as `after` / `afterLog`.
 * `{ timestamp, id }` alone (a line's own cursor) resumes right after that line.
 */
export interface LogCursor extends HistoryPosition {
  /** 2 for a reader's cursor that carries its overlap; absent on a line's own cursor. */
  readonly v?: 2;
  /** Nothing at or before this position is read again; null: the reader has dropped nothing yet. */
  readonly floor?: HistoryPosition | null;
  /** The ids of the lines handed out after `floor`. */
  readonly seen?: readonly string[];
}

/** A row's place in its history: exact microseconds, then id. */
export interface HistoryKey {
  readonly micros: bigint;
  readonly id: string;
}

/** The total order of a history: by timestamp (exact), then by id. */
export function compareKeys(a: HistoryKey, b: HistoryKey): number {
  if (a.micros !== b.micros) return a.micros < b.micros ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The key of a position (null: before everything, or a timestamp that cannot be read). */
export function cursorKey(cursor: HistoryPosition | null): HistoryKey | null {
  if (cursor === null) return null;
  const parsed = tryParseTimestamp(cursor.timestamp);
  return parsed === null ? null : { micros: parsed.epochMicros, id: cursor.id };
}

/** The most ids a stored cursor may carry; more is not a cursor this package wrote. */
export const MAX_CURSOR_IDS = 100_000;

const position = z.object({ timestamp: timestampString, id: uuidString });
const versionOne = position;
const versionTwo = z.extend(position, {
  v: z.literal(2),
  floor: z.nullable(position),
  seen: z.array(uuidString).check(z.maxLength(MAX_CURSOR_IDS)),
});

/** A checked cursor: every id in lower case, as the API writes them. */
export interface CheckedCursor {
  /** The newest line handed out. */
  readonly position: HistoryPosition;
  /** Nothing at or before it is read again (for a version 1 cursor, the position itself). */
  readonly floor: HistoryPosition | null;
  /** The ids handed out after the floor. */
  readonly seen: readonly string[];
}

function lower(value: HistoryPosition): HistoryPosition {
  return Object.freeze({ timestamp: value.timestamp, id: value.id.toLowerCase() });
}

/**
 * Checks a cursor given by a caller (it may come from storage, another process or an older
 * version of runview).
 *
 * @throws {@link InvalidArgumentError} for anything that is not a log cursor of version 1 or 2,
 * naming the argument and what is wrong.
 */
export function checkCursor(value: unknown, argument = 'after'): CheckedCursor {
  const version: unknown = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined;
  if (version === undefined) {
    const parsed = lower(parseInput(versionOne, value, argument, 'a log cursor { timestamp, id }'));
    return { position: parsed, floor: parsed, seen: [] };
  }
  if (version !== 2) {
    throw new InvalidArgumentError(
      argument,
      `${argument} is a log cursor of version ${JSON.stringify(version)}; this version of runview reads versions 1 ({ timestamp, id }) and 2`,
    );
  }
  const parsed = parseInput(versionTwo, value, argument, 'a log cursor of version 2 { v, timestamp, id, floor, seen }');
  const position = lower(parsed);
  const floor = parsed.floor === null ? null : lower(parsed.floor);
  const high = cursorKey(position);
  const low = cursorKey(floor);
  if (high !== null && low !== null && compareKeys(low, high) > 0) {
    throw new InvalidArgumentError(argument, `${argument} is not a log cursor: its floor comes after its position`);
  }
  return { position, floor, seen: parsed.seen.map((id) => id.toLowerCase()) };
}
