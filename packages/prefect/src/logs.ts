/**
 * Log levels: Prefect's log handler stores Python's level names in `log.level`; Python's
 * `logging` numbers them.
 */

/** The level names Prefect's log handler writes, lowest first. */
export const LOG_LEVEL_NAMES = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

/** A level name Prefect's log handler writes. */
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

/** Python's level numbers by name, its aliases (`WARN`, `FATAL`) and `NOTSET` included. */
export const LOG_LEVEL_NUMBERS: Readonly<Record<string, number>> = Object.freeze({
  NOTSET: 0,
  DEBUG: 10,
  INFO: 20,
  WARN: 30,
  WARNING: 30,
  ERROR: 40,
  FATAL: 50,
  CRITICAL: 50,
});

const CANONICAL: ReadonlyMap<number, LogLevelName> = new Map(LOG_LEVEL_NAMES.map((name) => [LOG_LEVEL_NUMBERS[name] ?? 0, name]));

/** True when `name` is one of the level names Prefect writes (exactly so). */
export function isLogLevelName(name: unknown): name is LogLevelName {
  return typeof name === 'string' && (LOG_LEVEL_NAMES as readonly string[]).includes(name);
}

/**
 * The number of a level name as Python's `logging` gives it (DEBUG 10 ... CRITICAL 50, in any
 * case). A numeric string reads as its number; null (the API's default) is INFO; a name Python
 * does not know reads as 0 (NOTSET).
 */
export function logLevelNumber(name: string | null): number {
  if (name === null) return 20;
  const known = LOG_LEVEL_NUMBERS[name.toUpperCase()];
  if (known !== undefined) return known;
  return /^\d+$/.test(name) ? Number(name) : 0;
}

/** The canonical name of a standard level number (`30` → `WARNING`), or undefined for another number. */
export function logLevelName(level: number): LogLevelName | undefined {
  return CANONICAL.get(level);
}

/** Every name Python gives a level number (`30` → `WARN`, `WARNING`): what a filter on `log.level` must match. */
export function logLevelAliases(level: number): string[] {
  return Object.entries(LOG_LEVEL_NUMBERS)
    .filter(([, number]) => number === level)
    .map(([name]) => name);
}
