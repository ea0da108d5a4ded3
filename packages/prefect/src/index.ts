/**
 * The facts of Prefect 1's protocol that every runview package shares: the state classes (names,
 * tree, colours), the serialized state's schema, timestamps, uuids, JSON values and log levels.
 */
export type { JsonObject, JsonValue } from './json.js';
export { isLogLevelName, LOG_LEVEL_NAMES, LOG_LEVEL_NUMBERS, logLevelAliases, logLevelName, logLevelNumber, type LogLevelName } from './logs.js';
export {
  describeIssues,
  STATE_FIELDS,
  stateBaseSchema,
  stateSchema,
  stateTypesWith,
  storableStateSchema,
  type SerializedState,
  type StateField,
} from './serialized-state.js';
export {
  isStateSubtype,
  isStateTypeName,
  STATE_CLASSES,
  STATE_COLORS,
  STATE_TYPE_NAMES,
  stateColor,
  stateLineage,
  stateSubtypes,
  type BaseStateTypeName,
  type StateClassName,
  type StateLineage,
  type StateSubtypeName,
  type StateTypeName,
} from './states.js';
export { compareTimestamps, formatTimestamp, isTimestamp, parseTimestamp, type Timestamp } from './timestamps.js';
export { isUuid, UUID_PATTERN } from './uuid.js';
