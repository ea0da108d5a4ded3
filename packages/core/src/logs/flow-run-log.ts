/**
 * One log line of a flow run, Prefect Core's `FlowRunLog` with what a reader needs beyond it:
 * the exact timestamp string, the level's name, the logger, the task run and the id. Lines
 * order totally by `(timestamp, id)`, compared exactly (microseconds), the order the API pages in.
 */
import * as z from 'zod/mini';
import { parseInput, timestampString, uuidString } from '../schemas.js';
import { parseTimestamp, type Timestamp } from '../time.js';
import type { LogCursor } from './cursor.js';
import { levelName as canonicalLevelName, levelNumber } from './levels.js';

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/** A `FlowRunLog` as JSON (`toJSON()`), the form `FlowRunLog.fromJSON()` reads. */
export interface FlowRunLogJson {
  readonly id: string;
  readonly flowRunId: string | null;
  readonly taskRunId: string | null;
  readonly timestamp: string;
  readonly level: number;
  readonly levelName: string;
  readonly name: string | null;
  readonly message: string;
}

/** The fields a log line is built from. */
export interface FlowRunLogInit {
  readonly id: string;
  readonly flowRunId: string | null;
  readonly taskRunId: string | null;
  /** The timestamp exactly as the API sent it. */
  readonly timestamp: string;
  /** The level name as the API stores it (`INFO`), or null. */
  readonly level: string | null;
  readonly name: string | null;
  readonly message: string | null;
}

const logJsonSchema = z.object({
  id: uuidString,
  flowRunId: z.nullable(uuidString),
  taskRunId: z.nullable(uuidString),
  timestamp: timestampString,
  level: z.int(),
  levelName: z.string(),
  name: z.nullable(z.string()),
  message: z.string(),
});

/** `'x'` as Python's `repr` writes a string: single quotes unless the text holds one and no double quote. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/** pendulum's repr of a timestamp as the API wrote it (its own offset, microseconds kept). */
function pendulumRepr(raw: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(raw.trim());
  if (!match) return raw;
  const [, y, mo, d, h, mi, s, fraction = '', offset = '+00:00'] = match as unknown as string[];
  const micros = (fraction + '000000').slice(0, 6);
  let zone = offset.toUpperCase() === 'Z' ? '+00:00' : offset;
  if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return `DateTime(${y}, ${mo}, ${d}, ${h}, ${mi}, ${s}, ${micros}, tzinfo=Timezone('${zone}'))`;
}

/** One log line of a flow run. Immutable. */
export class FlowRunLog {
  readonly id: string;
  readonly flowRunId: string | null;
  readonly taskRunId: string | null;
  /** Python's level number: DEBUG 10, INFO 20, WARNING 30, ERROR 40, CRITICAL 50. */
  readonly level: number;
  /** The level's name as the API stores it (`INFO`, `WARNING`...). */
  readonly levelName: string;
  /** The logger's name (`prefect.CloudTaskRunner`), or null. */
  readonly name: string | null;
  readonly message: string;
  readonly #timestamp: Timestamp;

  constructor(init: FlowRunLogInit) {
    this.id = init.id;
    this.flowRunId = init.flowRunId;
    this.taskRunId = init.taskRunId;
    this.#timestamp = parseTimestamp(init.timestamp);
    this.level = levelNumber(init.level);
    this.levelName = init.level ?? canonicalLevelName(this.level);
    this.name = init.name;
    this.message = init.message ?? '';
    Object.freeze(this);
  }

  /** When the line was logged (millisecond precision; see `timestampRaw` for the exact value). */
  get timestamp(): Date {
    return new Date(this.#timestamp.date);
  }

  /** The timestamp exactly as the API sent it, e.g. `1978-03-08T22:30:01.123456+00:00`. */
  get timestampRaw(): string {
    return this.#timestamp.raw;
  }

  /** Microseconds since the epoch, exact. */
  get epochMicros(): bigint {
    return this.#timestamp.epochMicros;
  }

  /**
   * The position just after this line (a version 1 cursor), to resume reading from it. A
   * reader's own `cursor` also covers the lines written late behind it; prefer that one.
   */
  get cursor(): LogCursor {
    return Object.freeze({ timestamp: this.#timestamp.raw, id: this.id });
  }

  /**
   * The total order of log lines: by timestamp (exact, microseconds), then by id, as the API
   * pages them. Use with `Array.prototype.sort`.
   */
  static readonly compare = (a: FlowRunLog, b: FlowRunLog): number => {
    if (a.#timestamp.epochMicros !== b.#timestamp.epochMicros) return a.#timestamp.epochMicros < b.#timestamp.epochMicros ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };

  /** Restores a line from its `toJSON()` form. */
  static fromJSON(json: unknown): FlowRunLog {
    const parsed = parseInput(logJsonSchema, json, 'json', 'a FlowRunLog JSON');
    const { levelName, level } = parsed;
    return new FlowRunLog({ ...parsed, level: levelNumber(levelName) === level ? levelName : String(level) });
  }

  toJSON(): FlowRunLogJson {
    return {
      id: this.id,
      flowRunId: this.flowRunId,
      taskRunId: this.taskRunId,
      timestamp: this.#timestamp.raw,
      level: this.level,
      levelName: this.levelName,
      name: this.name,
      message: this.message,
    };
  }

  /** Prefect's repr: `FlowRunLog(timestamp=DateTime(1978, 03, 08, 22, 30, 00, 000000, tzinfo=Timezone('+00:00')), level=20, message='...')`. */
  toString(): string {
    return `FlowRunLog(timestamp=${pendulumRepr(this.#timestamp.raw)}, level=${this.level}, message=${pythonRepr(this.message)})`;
  }

  [inspectCustom](): string {
    return this.toString();
  }
}
