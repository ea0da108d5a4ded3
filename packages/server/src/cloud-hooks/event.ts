/**
 * The event a cloud hook receives, as Prefect Server's `FlowRunStateChange`: an id (also sent
 * as `X-PREFECT-EVENT-ID`), when it was made, and the flow run, its new state, its flow and
 * its tenant. A `WEBHOOK` receives `{"event": ...}`; `PREFECT_MESSAGE` stores it in a message.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../db/tables.js';

type JsonObject = Record<string, JsonValue>;

export interface FlowRunStateChange {
  readonly id: string;
  /** `2024-02-29T12:00:00.123+00:00`, the server's clock when the event was made. */
  readonly timestamp: string;
  readonly type: 'FlowRunStateChange';
  /** `id`, `name`, `flow_id`, `tenant_id`, and the `version` and `state` the run has with this state. */
  readonly flow_run: JsonObject;
  /** The `flow_run_state` row: `id`, `state` (the class name), `message`, `serialized_state`, `version`, ... */
  readonly state: JsonObject;
  /** `id`, `name`, `flow_group_id`, `version_group_id`, `tenant_id`. */
  readonly flow: JsonObject;
  /** `id` and `slug`. */
  readonly tenant: JsonObject;
  /** True for the events `test_cloud_hook` sends. */
  readonly is_test_event: boolean;
}

export interface FlowRunStateChangeParts {
  readonly flow_run: JsonObject;
  readonly state: JsonObject;
  readonly flow: JsonObject;
  readonly tenant: JsonObject;
}

/** A new event about `parts`, stamped with `now`. */
export function flowRunStateChange(parts: FlowRunStateChangeParts, now: Date, isTestEvent = false): FlowRunStateChange {
  return {
    id: randomUUID(),
    timestamp: `${now.toISOString().slice(0, -1)}+00:00`,
    type: 'FlowRunStateChange',
    flow_run: parts.flow_run,
    state: parts.state,
    flow: parts.flow,
    tenant: parts.tenant,
    is_test_event: isTestEvent,
  };
}

/** The class name of the event's state (`Failed`), which hooks match in upper case. */
export function stateName(event: FlowRunStateChange): string {
  const name = event.state['state'];
  return typeof name === 'string' ? name : '';
}
