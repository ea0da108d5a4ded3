/**
 * Log levels: the API stores Python's level names, the model holds Python's numbers
 * (`logging.getLevelName`), and filters send the names back. The names and numbers are
 * `@runview/prefect`'s; this module adds the typed error of a caller's filter.
 */
import { logLevelAliases, logLevelName, LOG_LEVEL_NUMBERS, type LogLevelName } from '@runview/prefect';
import { InvalidArgumentError } from '../errors.js';

/**
 * `levelNumber`: the number of a level name as Python's `logging` gives it (DEBUG 10 ...
 * CRITICAL 50). A numeric string reads as its number; null (the API's default) is INFO; a name
 * Python does not know reads as 0 (NOTSET) and keeps its name in `FlowRunLog.levelName`.
 */
export { logLevelNumber as levelNumber, type LogLevelName } from '@runview/prefect';

/** The canonical name of a level number (`30` → `WARNING`), or `Level <n>` as Python writes it. */
export function levelName(level: number): string {
  return logLevelName(level) ?? `Level ${level}`;
}

/** The names a level filter must match in the API (`WARNING` also matches `WARN`). */
export function levelFilterNames(levels: readonly (LogLevelName | number)[]): string[] {
  const names = new Set<string>();
  for (const level of levels) {
    const value: unknown = level;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? LOG_LEVEL_NUMBERS[value.toUpperCase()] : undefined;
    if (number === undefined || logLevelName(number) === undefined) {
      throw new InvalidArgumentError('levels', `Unknown log level ${JSON.stringify(level)}: use DEBUG, INFO, WARNING, ERROR, CRITICAL or 10-50`);
    }
    for (const name of logLevelAliases(number)) names.add(name);
  }
  return [...names];
}
