/** Log rows (`FlowRunLogFields`) to `FlowRunLog`s. */
import * as z from 'zod/mini';
import { FlowRunLog } from '../logs/flow-run-log.js';
import { logWire, parseWire, type LogWire } from './wire.js';

const logRows = z.array(logWire);

/** A validated log row to a `FlowRunLog`. */
export function logFromWire(wire: LogWire): FlowRunLog {
  return new FlowRunLog({
    id: wire.id,
    flowRunId: wire.flow_run_id,
    taskRunId: wire.task_run_id,
    timestamp: wire.timestamp,
    level: wire.level,
    name: wire.name,
    message: wire.message,
  });
}

/** Validates a list of log rows and maps them, in the order received. */
export function logsFromResponse(rows: unknown, operationName: string): FlowRunLog[] {
  return parseWire(logRows, rows, operationName).map(logFromWire);
}
