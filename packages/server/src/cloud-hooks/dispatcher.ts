/**
 * Calls the cloud hooks of every new flow run state, as Prefect Server does after each flow
 * run state it sets: the tenant's active hooks whose `states` name the state's class exactly
 * (upper case: a hook on FAILED is not called for TriggerFailed) and whose `version_group_id` is
 * the run's flow's or none.
 *
 * It works from the change events mutations emit after their transaction commits (a
 * `flow_run_state` insert names the run), so a state write never waits for a hook nor fails
 * with one: the hooks are called afterwards, in the background, one run's states in the order
 * they were set; a hook that fails is logged (never with its URL) and the others are still
 * called. A state is handled once: its id is recorded in `cloud_hook_delivery` before its hooks
 * are called, so with several server processes on one PostgreSQL (each also hears the others'
 * changes) only the first to record it calls them. Only states set after this process started,
 * and after the hook was created or last switched on, call a hook.
 */
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { JsonValue } from '../db/tables.js';
import type { ChangeEvents } from '../graphql/events.js';
import type { Logger } from '../http/logger.js';
import { CloudHookDeliveryError, deliverHook, type CloudHookTarget } from './deliver.js';
import { flowRunStateChange, stateName, type FlowRunStateChange, type FlowRunStateChangeParts } from './event.js';

export interface CloudHookDispatcherOptions {
  readonly db: Database;
  readonly events: ChangeEvents;
  readonly logger: Logger;
  /** The server's clock: the events' timestamps. */
  readonly now: () => Date;
}

export interface CloudHookDispatcher {
  /** Resolves once every change heard so far has been handled and its hooks called. */
  idle(): Promise<void>;
  /** Stops listening, aborts the calls in flight and waits for them to end. */
  close(): Promise<void>;
}

/** One hook to call for one state, with the state's event parts. */
interface PendingCall extends FlowRunStateChangeParts {
  readonly state_id: string;
  readonly hook_id: string;
  readonly hook_type: string;
  readonly hook_config: JsonValue;
}

/** The hook calls of a run's states not handled yet, in the order the states were set. */
async function pendingCalls(db: Database, flowRunId: string, tenantId: string, startedAt: string): Promise<PendingCall[]> {
  const result = await sql<PendingCall>`
    select s.id as state_id, h.id as hook_id, h.type as hook_type, h.config as hook_config,
      json_build_object('id', r.id, 'tenant_id', r.tenant_id, 'flow_id', r.flow_id, 'name', r.name, 'version', s.version, 'state', s.state) as flow_run,
      json_build_object('id', s.id, 'tenant_id', s.tenant_id, 'flow_run_id', s.flow_run_id, 'timestamp', s.timestamp, 'state', s.state,
        'message', s.message, 'result', s.result, 'start_time', s.start_time, 'serialized_state', s.serialized_state, 'version', s.version) as state,
      json_build_object('id', f.id, 'tenant_id', f.tenant_id, 'name', f.name, 'flow_group_id', f.flow_group_id, 'version_group_id', f.version_group_id) as flow,
      json_build_object('id', t.id, 'slug', t.slug) as tenant
    from flow_run_state as s
      join flow_run as r on r.id = s.flow_run_id
      join flow as f on f.id = r.flow_id
      left join tenant as t on t.id = s.tenant_id
      join cloud_hook as h on h.tenant_id = s.tenant_id and h.active and h.states ? upper(s.state)
        and (h.version_group_id is null or h.version_group_id = f.version_group_id)
        and h.updated <= s.created
    where s.flow_run_id = ${flowRunId}::uuid and s.tenant_id = ${tenantId}::uuid and s.created >= ${startedAt}::timestamptz
      and not exists (select 1 from cloud_hook_delivery as d where d.flow_run_state_id = s.id)
    order by s.version, s.timestamp, s.id, h.created, h.id`.execute(db.kysely);
  return result.rows;
}

/** Records the states as handled; answers those this call recorded (not another process). */
async function claim(db: Database, stateIds: readonly string[]): Promise<Set<string>> {
  const result = await sql<{ flow_run_state_id: string }>`
    insert into cloud_hook_delivery (flow_run_state_id) select unnest(${`{${stateIds.join(',')}}`}::uuid[])
    on conflict do nothing returning flow_run_state_id`.execute(db.kysely);
  return new Set(result.rows.map((row) => row.flow_run_state_id));
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Starts calling hooks on the flow run states set from now on. */
export async function startCloudHooks(options: CloudHookDispatcherOptions): Promise<CloudHookDispatcher> {
  const { db, events, logger } = options;
  // Inclusive below: PGlite's clock can tick coarser than a transaction, so a state written right
  // after the start can carry the start's very timestamp. Nothing goes out twice either way: the
  // delivery table records every handled state.
  const started = await sql<{ at: string }>`select clock_timestamp()::text as at`.execute(db.kysely);
  const startedAt = started.rows[0]?.at ?? new Date().toISOString();
  const stop = new AbortController();
  /** Per run, the handling of its latest change: the next waits for it, so states go out in order. */
  const queues = new Map<string, Promise<void>>();

  async function callHook(target: CloudHookTarget, event: FlowRunStateChange, flowRunId: string): Promise<void> {
    const what = `cloud hook ${target.id} (${target.type}) for flow run ${flowRunId} (${stateName(event)})`;
    try {
      const delivery = await deliverHook(target, event, { db, events, signal: stop.signal });
      if (delivery.status !== undefined && delivery.status >= 400) logger.warn(`${what}: the receiver answered HTTP ${delivery.status}`);
    } catch (error) {
      if (stop.signal.aborted) return;
      if (error instanceof CloudHookDeliveryError) logger.warn(`${what} not delivered: ${error.message}`);
      else logger.error(`${what} failed: ${reason(error)}`);
    }
  }

  async function callRunHooks(flowRunId: string, tenantId: string): Promise<void> {
    if (stop.signal.aborted) return;
    const calls = await pendingCalls(db, flowRunId, tenantId, startedAt);
    if (calls.length === 0) return;
    const claimed = await claim(db, [...new Set(calls.map((call) => call.state_id))]);
    const byState = new Map<string, PendingCall[]>();
    for (const call of calls) {
      if (claimed.has(call.state_id)) byState.set(call.state_id, [...(byState.get(call.state_id) ?? []), call]);
    }
    for (const stateCalls of byState.values()) {
      const [first] = stateCalls;
      if (first === undefined) continue;
      // One event per state, the same for each of its hooks (as Prefect Server makes it).
      const event = flowRunStateChange(first, options.now());
      await Promise.all(stateCalls.map((call) => callHook({ id: call.hook_id, tenantId, type: call.hook_type, config: call.hook_config }, event, flowRunId)));
    }
  }

  const unsubscribe = events.subscribe((change) => {
    const { flowRunId, tenantId } = change;
    if (change.table !== 'flow_run_state' || change.operation !== 'insert' || flowRunId === undefined) return;
    const next = (queues.get(flowRunId) ?? Promise.resolve())
      .then(() => callRunHooks(flowRunId, tenantId))
      .catch((error: unknown) => {
        if (!stop.signal.aborted) logger.error(`cloud hooks of flow run ${flowRunId}: ${reason(error)}`);
      });
    queues.set(flowRunId, next);
    void next.finally(() => {
      if (queues.get(flowRunId) === next) queues.delete(flowRunId);
    });
  });

  return {
    async idle() {
      while (queues.size > 0) await Promise.allSettled([...queues.values()]);
    },
    async close() {
      unsubscribe();
      stop.abort();
      await Promise.allSettled([...queues.values()]);
    },
  };
}
