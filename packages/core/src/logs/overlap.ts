/**
 * Which log lines a reader has handed out, so that it can read behind its position again
 * without repeating a line.
 *
 * Lines do not become readable in `(timestamp, id)` order. Prefect's runners stamp a line
 * when it is logged and upload their lines in batches every few seconds (`CloudHandler`,
 * `cloud.logging_heartbeat`, 5 s), many runners and workers at once; a server stamps and
 * commits concurrent batches in whatever order their transactions end. A reader that only
 * reads after the newest line it has seen misses every line that lands behind it.
 *
 * So every pass of a reader starts at a floor a window behind the newest line it handed out
 * (`windowMs` of log time, default 15 s) and skips the lines it already handed out there,
 * known by id. Lines older than the window are forgotten and the floor moves up past them:
 * a line that lands more than the window behind the newest line read is not delivered. The
 * window also holds at most `maxLines` ids (default 10,000); past that it covers the newest
 * lines only, which bounds memory and the size of a stored cursor.
 */
import { InvalidArgumentError } from '../errors.js';
import { requireInteger } from '../arguments.js';
import { requireDuration } from '../timers.js';
import { checkCursor, compareKeys, cursorKey, type HistoryKey, type HistoryPosition, type LogCursor } from './cursor.js';
import type { FlowRunLog } from './flow-run-log.js';

/** How far behind the newest line read a late line may sort and still be delivered. */
export const DEFAULT_LATE_LOG_WINDOW_MS = 15_000;

/** The most line ids a reader remembers (and a cursor carries). */
export const DEFAULT_LATE_LOG_WINDOW_LINES = 10_000;

/** How readers take in lines that land late (see the README: what is guaranteed). */
export interface LateLogOptions {
  /**
   * How far, in log time, behind the newest line already read a line may land and still be
   * delivered, in milliseconds (default 15,000: Prefect's runners upload every 5 s). Each pass
   * re-reads this much of the log.
   */
  readonly lateLogWindowMs?: number | undefined;
  /** The most lines the window remembers (default 10,000); past it, it covers the newest ones only. */
  readonly lateLogWindowLines?: number | undefined;
}

/** The checked settings of a window. */
export interface OverlapSettings {
  readonly windowMs: number;
  readonly maxLines: number;
}

/** Checks the late-line options before any request. */
export function overlapSettings(options: LateLogOptions): OverlapSettings {
  const windowMs = options.lateLogWindowMs === undefined ? DEFAULT_LATE_LOG_WINDOW_MS : requireDuration(options.lateLogWindowMs, 'lateLogWindowMs', true);
  const maxLines = requireInteger(options.lateLogWindowLines ?? DEFAULT_LATE_LOG_WINDOW_LINES, 'lateLogWindowLines', 1, 100_000);
  return { windowMs, maxLines };
}

/** A line handed out: its key and its position in one object. */
interface Entry extends HistoryKey, HistoryPosition {}

/** A plain, frozen position (an entry also holds its bigint key, which JSON cannot write). */
function positionOf(entry: Entry | null): HistoryPosition | null {
  return entry === null ? null : Object.freeze({ timestamp: entry.timestamp, id: entry.id });
}

function entryOfLog(log: FlowRunLog): Entry {
  return { micros: log.epochMicros, id: log.id, timestamp: log.timestampRaw };
}

/** The lines a reader handed out inside its window, and the floor below it. */
export class LogOverlap {
  readonly #windowMicros: bigint;
  readonly #maxLines: number;
  #floor: Entry | null;
  #newest: Entry | null;
  /** Lines older than this (epoch microseconds) are out of the window. */
  #cutoff: bigint | null = null;
  /** Handed out after the floor, in key order from `#head` on. */
  #entries: Entry[] = [];
  #head = 0;
  readonly #ids = new Set<string>();
  /** Ids a stored cursor carried whose place this reader has not seen yet. */
  readonly #unplaced: Set<string>;

  constructor(after: LogCursor | null, settings: OverlapSettings) {
    this.#windowMicros = BigInt(Math.round(settings.windowMs * 1000));
    this.#maxLines = settings.maxLines;
    const checked = after === null ? null : checkCursor(after);
    this.#floor = checked?.floor ? entryOf(checked.floor) : null;
    this.#newest = checked ? entryOf(checked.position) : null;
    this.#unplaced = new Set(checked?.seen ?? []);
    if (this.#newest !== null) this.#cutoff = this.#newest.micros - this.#windowMicros;
  }

  /** Where a pass starts reading (exclusive); null: at the beginning. */
  get floor(): HistoryPosition | null {
    return positionOf(this.#floor);
  }

  /** The newest line handed out (or the position a cursor started from). */
  get newest(): HistoryPosition | null {
    return positionOf(this.#newest);
  }

  /** True when the line was handed out already, or lies at or below the floor. */
  has(log: FlowRunLog): boolean {
    const floor = this.#floor;
    if (floor !== null) {
      const micros = log.epochMicros;
      if (micros < floor.micros || (micros === floor.micros && log.id <= floor.id)) return true;
    }
    if (this.#ids.has(log.id)) return true;
    if (this.#unplaced.delete(log.id)) {
      // A line a stored cursor says was handed out: now its place is known.
      this.#insert(entryOfLog(log));
      this.#slide();
      return true;
    }
    return false;
  }

  /** Records a line as handed out (one {@link has} said was not). */
  take(log: FlowRunLog): void {
    const entry = entryOfLog(log);
    this.#insert(entry);
    if (this.#newest === null || compareKeys(entry, this.#newest) > 0) {
      this.#newest = entry;
      this.#cutoff = entry.micros - this.#windowMicros;
    }
    this.#slide();
  }

  /**
   * A pass read everything after the floor it started from: the ids of a stored cursor not
   * met again belong to lines that are gone (deleted, or outside the filter), so they go.
   */
  endPass(): void {
    this.#unplaced.clear();
  }

  /** The version 2 cursor of what was handed out; null before anything (and without `after`). */
  get cursor(): LogCursor | null {
    const newest = this.#newest;
    if (newest === null) return null;
    const seen: string[] = [];
    for (const entry of this.#entries.slice(this.#head)) seen.push(entry.id);
    for (const id of this.#unplaced) seen.push(id);
    return Object.freeze({
      timestamp: newest.timestamp,
      id: newest.id,
      v: 2 as const,
      floor: positionOf(this.#floor),
      seen: Object.freeze(seen),
    });
  }

  #insert(entry: Entry): void {
    this.#ids.add(entry.id);
    const entries = this.#entries;
    const last = entries.at(-1);
    if (entries.length === this.#head || (last !== undefined && compareKeys(entry, last) > 0)) {
      entries.push(entry);
      return;
    }
    // A late line: its place among the others, by binary search.
    let low = this.#head;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = entries[middle];
      if (other !== undefined && compareKeys(other, entry) < 0) low = middle + 1;
      else high = middle;
    }
    entries.splice(low, 0, entry);
  }

  /** Forgets the lines older than the window, or beyond its size, and moves the floor past them. */
  #slide(): void {
    const cutoff = this.#cutoff;
    const entries = this.#entries;
    for (;;) {
      const oldest = entries[this.#head];
      if (oldest === undefined) break;
      const tooOld = cutoff !== null && oldest.micros < cutoff;
      const tooMany = entries.length - this.#head + this.#unplaced.size > this.#maxLines;
      if (!tooOld && !tooMany) break;
      this.#ids.delete(oldest.id);
      this.#floor = oldest;
      this.#head += 1;
    }
    // Drop the forgotten prefix now and then, not on every line.
    if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }
}

function entryOf(position: HistoryPosition): Entry {
  const key = cursorKey(position);
  // checkCursor has validated the timestamp.
  if (key === null) throw new InvalidArgumentError('after', `after has an unreadable timestamp: ${JSON.stringify(position.timestamp)}`);
  return { ...key, timestamp: position.timestamp };
}
