/**
 * The one mapping from API rows to runview's model: the only code that reads wire field
 * names. Null states follow Prefect: a flow run without one is Pending("A state for this flow
 * run is not yet available."), a task run without one is Scheduled.
 */
import type { JsonObject } from '@runview/documents';
import { InvalidArgumentError, InvalidResponseError } from '../errors.js';
import { frozenCopy } from '../json.js';
import { deserializeState } from '../states/serialize.js';
import { InvalidState, type State } from '../states/state.js';
import { parseTimestamp, type Timestamp } from '../time.js';
import type { FlowWire } from './wire.js';

/** The message of the state Prefect gives a flow run that has none yet. */
export const NO_FLOW_RUN_STATE_MESSAGE = 'A state for this flow run is not yet available.';

/** A flow as the model holds it. */
export interface FlowData {
  readonly flowId: string;
  readonly name: string;
  readonly version: number | null;
  readonly projectId: string;
  readonly projectName: string;
  readonly coreVersion: string | null;
  readonly storage: Readonly<JsonObject> | null;
  readonly runConfig: Readonly<JsonObject> | null;
  readonly settings: Readonly<JsonObject>;
  readonly archived: boolean;
  readonly flowGroupId: string;
  readonly flowGroupLabels: readonly string[];
  readonly serializedFlow: Readonly<JsonObject> | null;
  readonly created: Timestamp;
}

/**
 * Deserializes a state from a response. A malformed one is the response's fault, and stays
 * that state's: it becomes an {@link InvalidState} whose `problem` is an `InvalidResponseError`
 * naming the operation and the field, and the rest of the run reads as usual.
 */
export function stateFromWire(json: unknown, operationName: string, path: string, timestamp?: string): State {
  try {
    return deserializeState(json, timestamp === undefined ? {} : { timestamp });
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    const problem = new InvalidResponseError(operationName, [`${path}: ${error.message}`], { cause: error });
    const message = typeof json === 'object' && json !== null ? (json as { message?: unknown }).message : undefined;
    return new InvalidState(json, problem, { message: typeof message === 'string' ? message : null, timestamp: timestamp ?? null });
  }
}

/** A flow row (`FlowFields`) to the model. */
export function flowFromWire(wire: FlowWire): FlowData {
  return Object.freeze({
    flowId: wire.id,
    name: wire.name,
    version: wire.version,
    projectId: wire.project.id,
    projectName: wire.project.name,
    coreVersion: wire.core_version,
    storage: wire.storage === null ? null : frozenCopy(wire.storage),
    runConfig: wire.run_config === null ? null : frozenCopy(wire.run_config),
    settings: frozenCopy(wire.settings ?? {}),
    archived: wire.archived,
    flowGroupId: wire.flow_group_id,
    flowGroupLabels: Object.freeze([...(wire.flow_group.labels ?? [])]),
    serializedFlow: wire.serialized_flow === null ? null : frozenCopy(wire.serialized_flow),
    created: parseTimestamp(wire.created),
  });
}
