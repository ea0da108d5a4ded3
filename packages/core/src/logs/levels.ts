/**
 * Log levels: the API stores Python's level names, the model holds Python's numbers
 * (`logging.getLevelName`), and filters send the names back.
 */
import { InvalidArgumentError } from '../errors.js';

/** The level names Prefect's log handler writes. */
export type LogLevelName = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** Python's level numbers by name, aliases included. */
const LEVEL_NUMBERS: Readonly<Record<string, number>> = Object.freeze({
  NOTSET: 0,
  DEBUG: 10,
  INFO: 20,
  WARN: 30,
  WARNING: 30,
  ERROR: 40,
  FATAL: 50,
  CRITICAL: 50,
});

/** The canonical name of each standard number. */
const LEVEL_NAMES: Readonly<Record<number, LogLevelName>> = Object.freeze({
  10: 'DEBUG',
  20: 'INFO',
  30: 'WARNING',
  40: 'ERROR',
  50: 'CRITICAL',
});

/**
 * The number of a level name as Python's `logging` gives it (DEBUG 10 ... CRITICAL 50). A
 * numeric string reads as its number; null (the API's default) is INFO; a name Python does
 * not know reads as 0 (NOTSET) and keeps its name in `FlowRunLog.levelName`.
 */
export function levelNumber(name: string | null): number {
  if (name === null) return LEVEL_NUMBERS['INFO'] ?? 20;
  const known = LEVEL_NUMBERS[name.toUpperCase()];
  if (known !== undefined) return known;
  return /^\d+$/.test(name) ? Number(name) : 0;
}

/** The canonical name of a level number (`30` → `WARNING`), or `Level <n>` as Python writes it. */
export function levelName(level: number): string {
  return LEVEL_NAMES[level] ?? `Level ${level}`;
}

/** The names a level filter must match in the API (`WARNING` also matches `WARN`). */
export function levelFilterNames(levels: readonly (LogLevelName | number)[]): string[] {
  const names = new Set<string>();
  for (const level of levels) {
    const value: unknown = level;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? LEVEL_NUMBERS[value.toUpperCase()] : undefined;
    if (number === undefined || LEVEL_NAMES[number] === undefined) {
      throw new InvalidArgumentError('levels', `Unknown log level ${JSON.stringify(level)}: use DEBUG, INFO, WARNING, ERROR, CRITICAL or 10-50`);
    }
    for (const [name, value] of Object.entries(LEVEL_NUMBERS)) if (value === number) names.add(name);
  }
  return [...names];
}
