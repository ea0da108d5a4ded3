/**
 * Prefect Core 1.x states as the server validates and stores them. The server keeps its
 * own small validator (it never depends on the client library): the 21 public state class
 * names and the extra fields each class serializes.
 */
export { InvalidStateError, MAX_STATE_PAYLOAD_CHARS, parseState, type ParsedState } from './parse.js';
export { serializeState, type JsonObject, type StateFields } from './serialize.js';
export { formatTimestamp, isoTimestamp } from './timestamp.js';
export {
  FINISHED_STATE_TYPES,
  isFinishedState,
  isRunningState,
  isStateType,
  RUNNING_STATE_TYPES,
  SCHEDULED_STATE_TYPES,
  SERIALIZER_CORE_VERSION,
  STATE_TYPES,
  type StateType,
} from './types.js';
