/**
 * `@runview/core`: typed access to the flow-run inspection API of Prefect Server 1.x and
 * Prefect Cloud 1.0, the TypeScript counterpart of Prefect Core's `prefect.backend`:
 * `FlowRunView`, `TaskRunView`, `FlowView`, `FlowRunLog` and the `State` classes, over a
 * client that retries, times out, aborts and reports every failure as a typed error.
 * Runs in Node and in browsers.
 *
 * ```ts
 * import { createClient, FlowRunView } from '@runview/core';
 *
 * const client = createClient({ url: 'http://127.0.0.1:4200/graphql' });
 * const flowRun = await FlowRunView.fromFlowRunId('4c0101af-c6bb-4b96-8661-63a5bbfb5596', { client });
 * flowRun.state.toString(); // '<Success: "All reference tasks succeeded.">'
 * ```
 *
 * @packageDocumentation
 */
export * from './errors.js';
export { MAX_TIMER_MS } from './timers.js';
export { sleep } from './clock.js';
export * from './display/index.js';
export { DEFAULT_MAX_RESPONSE_BYTES } from './client/body-limit.js';
export {
  createClient,
  DEFAULT_TIMEOUT_MS,
  type CallOptions,
  type ClientOptions,
  type LiveEndpoint,
  type OperationVariables,
  type RequestEvent,
  type RunviewClient,
  type SchemaCheckMode,
} from './client/client.js';
export { DEFAULT_API_URL, PREFECT_CLOUD_API_URL, resolveConnection, type ConnectionSettings, type Environment } from './client/config.js';
export { getDefaultClient, setDefaultClient } from './client/default.js';
export { DEFAULT_RETRY_POLICY, type RetryOptions, type RetryPolicy } from './client/retry.js';
export * from './states/index.js';
export { formatTimestamp, parseTimestamp, tryParseTimestamp, type Timestamp } from './time.js';
export { isUuid } from './arguments.js';
export { FlowRunLog, pythonRepr, type FlowRunLogInit, type FlowRunLogJson } from './logs/flow-run-log.js';
export { MAX_CURSOR_IDS, type HistoryPosition, type LogCursor } from './logs/cursor.js';
export { DEFAULT_LATE_LOG_WINDOW_LINES, DEFAULT_LATE_LOG_WINDOW_MS, type LateLogOptions } from './logs/overlap.js';
export { levelName, levelNumber, type LogLevelName } from './logs/levels.js';
export { buildLogFilter, type LogFilterOptions } from './logs/filter.js';
export {
  DEFAULT_LOG_PAGE_SIZE,
  FlowRunLogIterator,
  headFlowRunLogs,
  iterFlowRunLogs,
  MAX_LOG_PAGE_SIZE,
  tailFlowRunLogs,
  type IterLogsOptions,
  type LogWindowOptions,
} from './logs/iterate.js';
export type { ViewOptions } from './views/common.js';
export { FlowView, type FlowViewJson, type FromFlowNameOptions } from './views/flow-view.js';
export { DEFAULT_MAPPED_PAGE_SIZE, TaskRunView, type IterMappedOptions, type TaskRunViewJson } from './views/task-run-view.js';
export {
  FlowRunView,
  TASK_RUN_PAGE_SIZE,
  type FlowRunViewJson,
  type FromFlowRunIdOptions,
  type GetLogsOptions,
  type GetTaskRunOptions,
  type TaskRunStateCounts,
  type TaskRunStateCountsOptions,
  watchFlowRun,
} from './views/flow-run-view.js';
export { inspectFlowRun, type FlowRunInspection, type InspectOptions } from './views/inspect.js';
export { NO_FLOW_RUN_STATE_MESSAGE } from './maps/models.js';
export { formatStateEntered, formatWatchEvent, type LogEvent, type StateEvent, type TaskRunEvent, type WarningEvent, type WatchEvent } from './watch/events.js';
export { DEFAULT_DRAIN_MS, DEFAULT_POLL_INTERVAL_MS, FlowRunWatch, type FinishWatch, type WatchOptions } from './watch/watch.js';
export { checkForCompatibleAgents, type AgentCheckOptions } from './watch/agents.js';
export { liveUrl, serverOffersSubscriptions, type LiveOptions } from './live/transport.js';
export {
  byNameCloseness,
  containsPattern,
  findFlowRunByName,
  flowRunFilter,
  listFlowRuns,
  type FlowRunCriteria,
  type FlowRunList,
  type NameMatch,
} from './search/flow-runs.js';
export { PREFECT_CONFIG_PATH_VARIABLES, prefectApiSettings, type PrefectApiSettings, type PrefectSettingsSources, type TomlTable } from './settings/prefect.js';
