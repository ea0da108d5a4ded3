/**
 * The check that a page of log lines honours the keyset it was asked for: every line after the
 * position it was read from, in strictly increasing `(timestamp, id)` order. A server that
 * ignores the cursor (and answers the same page again and again) or the order would otherwise
 * keep a reader requesting forever without getting anywhere.
 */
import { InvalidResponseError } from '../errors.js';
import { compareKeys, type HistoryKey } from './cursor.js';
import type { FlowRunLog } from './flow-run-log.js';

function describe(log: FlowRunLog): string {
  return `(${log.timestampRaw}, ${log.id})`;
}

/**
 * @throws {@link InvalidResponseError} naming the operation and the first line out of place.
 */
export function checkPageOrder(logs: readonly FlowRunLog[], after: HistoryKey | null, operationName: string, path = 'log'): void {
  let previous: HistoryKey | null = after;
  for (const [index, log] of logs.entries()) {
    const key = { micros: log.epochMicros, id: log.id };
    if (previous !== null && compareKeys(key, previous) <= 0) {
      const what = index === 0 ? 'the position the page was read after' : 'the line before it';
      throw new InvalidResponseError(operationName, [
        `${path}.${index}: line ${describe(log)} does not come after ${what}; the API ignored the log cursor or the (timestamp, id) order, so reading on would never make progress`,
      ]);
    }
    previous = key;
  }
}
