/**
 * The cloud hook mutations of Prefect Server, as the UI's team and flow settings call them:
 * `create_cloud_hook` (with Prefect Server's checks of the states and the config),
 * `delete_cloud_hook`, `set_cloud_hook_active` / `_inactive` (`success: false` for a hook the
 * caller's tenant does not have) and `test_cloud_hook`, which calls the hook at once with a
 * test event and reports a failure in the payload, as Prefect Server does. The hooks are
 * called on flow run state changes by `cloud-hooks/dispatcher.ts`.
 *
 * This server calls `WEBHOOK`, `SLACK_WEBHOOK` and `PREFECT_MESSAGE` hooks; a `TWILIO` or
 * `PAGERDUTY` hook is refused when created rather than stored and never called.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { CALLED_HOOK_TYPES, CloudHookDeliveryError, deliverHook, type CloudHookTarget } from '../cloud-hooks/deliver.js';
import { flowRunStateChange, type FlowRunStateChangeParts } from '../cloud-hooks/event.js';
import { jsonb, type JsonValue } from '../db/tables.js';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { badUserInput, graphQLError } from '../graphql/errors.js';
import { serializeState, STATE_TYPES, type StateType } from '../states/index.js';
import { parseInput, uuid } from './input.js';
import { generateRunName } from './names.js';
import { successPayload } from './payloads.js';
import { callerTenant } from './tenant-scope.js';

/** The state names a hook may watch: Prefect Core's state classes, in upper case. */
const HOOK_STATES: ReadonlySet<string> = new Set(STATE_TYPES.map((type) => type.toUpperCase()));

/** The hook types that post to a URL given as the config's only key. */
const URL_HOOK_TYPES: readonly string[] = ['WEBHOOK', 'SLACK_WEBHOOK'];

const createInput = z.object({
  tenant_id: uuid,
  type: z.string(),
  name: z.string().nullish(),
  version_group_id: z.string().nullish(),
  states: z.array(z.string()),
  config: z.unknown().optional(),
});
const hookIdInput = z.object({ cloud_hook_id: uuid });
const testInput = z.object({ cloud_hook_id: uuid, flow_run_id: uuid.nullish(), state_type: z.string().nullish() });

/** `states` in upper case, each once; Prefect Server's `Invalid states` when empty or unknown. */
function hookStates(states: readonly string[]): string[] {
  const names = [...new Set(states.map((state) => state.toUpperCase()))];
  if (names.length === 0 || !names.every((name) => HOOK_STATES.has(name))) throw badUserInput('Invalid states');
  return names;
}

/** An http or https URL without credentials (they would show wherever the URL does). */
function isHookUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
}

/** The config to store for `type`, checked as Prefect Server checks it (and a URL that can be called). */
function hookConfig(type: string, config: unknown): JsonValue {
  if (!CALLED_HOOK_TYPES.includes(type)) {
    throw graphQLError(`${type} cloud hooks are not supported by this server: it calls ${CALLED_HOOK_TYPES.join(', ')} hooks`, 'NOT_IMPLEMENTED');
  }
  if (!URL_HOOK_TYPES.includes(type)) return (config ?? {}) as JsonValue;
  const keys = typeof config === 'object' && config !== null && !Array.isArray(config) ? Object.keys(config) : [];
  if (keys.length !== 1 || keys[0] !== 'url') throw badUserInput('Invalid config; expected `url`');
  if (!isHookUrl((config as { url: unknown }).url)) throw badUserInput('Invalid config; `url` must be an http or https URL without credentials');
  return config as JsonValue;
}

export const createCloudHook: MutationResolver = async (args, ctx) => {
  const input = parseInput('create_cloud_hook', createInput, args);
  const tenantId = callerTenant(ctx, input.tenant_id);
  const states = hookStates(input.states);
  const config = hookConfig(input.type, input.config);
  // `created` and `updated` are the database's clock, which the dispatcher compares with the
  // time a state was written: a hook is called for states set after it was made.
  const hook = await ctx.db.kysely
    .insertInto('cloud_hook')
    .values({
      tenant_id: tenantId,
      type: input.type,
      name: input.name ?? null,
      version_group_id: input.version_group_id ?? null,
      states: jsonb(states),
      config: jsonb(config),
      active: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ctx.events.emit({ table: 'cloud_hook', tenantId, operation: 'insert', ids: [hook.id] });
  return { id: hook.id };
};

export const deleteCloudHook: MutationResolver = async (args, ctx) => {
  const input = parseInput('delete_cloud_hook', hookIdInput, args);
  const deleted = await ctx.db.kysely
    .deleteFrom('cloud_hook')
    .where('id', '=', input.cloud_hook_id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .executeTakeFirst();
  if (deleted) ctx.events.emit({ table: 'cloud_hook', tenantId: ctx.tenantId, operation: 'delete', ids: [deleted.id] });
  return successPayload(deleted !== undefined);
};

/**
 * Switches a hook on or off (again: no change, still a success). Switching it on restarts the
 * states it answers to from now, so a hook switched back on is not called for the states set
 * while it was off.
 */
async function setActive(ctx: RequestContext, hookId: string, active: boolean): Promise<{ success: boolean; error: null }> {
  const updated = await ctx.db.kysely
    .updateTable('cloud_hook')
    .set({ active, updated: sql<Date>`case when ${sql.ref('active')} = ${active} then ${sql.ref('updated')} else now() end` })
    .where('id', '=', hookId)
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .executeTakeFirst();
  if (updated) ctx.events.emit({ table: 'cloud_hook', tenantId: ctx.tenantId, operation: 'update', ids: [updated.id] });
  return successPayload(updated !== undefined);
}

export const setCloudHookActive: MutationResolver = async (args, ctx) =>
  setActive(ctx, parseInput('set_cloud_hook_active', hookIdInput, args).cloud_hook_id, true);

export const setCloudHookInactive: MutationResolver = async (args, ctx) =>
  setActive(ctx, parseInput('set_cloud_hook_inactive', hookIdInput, args).cloud_hook_id, false);

/** `test_cloud_hook`'s `state_type`: the state and message of its test event. */
const TEST_STATES: Readonly<Record<string, StateType>> = {
  SCHEDULED: 'Scheduled',
  SUBMITTED: 'Submitted',
  RUNNING: 'Running',
  SUCCESS: 'Success',
  FAILED: 'Failed',
};

/** A failure `test_cloud_hook` reports in its payload. */
class HookTestFailure extends Error {}

/** The test event's parts for a real flow run of the caller's tenant, as if it entered `state`. */
async function runParts(ctx: RequestContext, flowRunId: string, state: JsonValue & object): Promise<FlowRunStateChangeParts> {
  const run = await ctx.db.kysely
    .selectFrom('flow_run')
    .innerJoin('flow', 'flow.id', 'flow_run.flow_id')
    .leftJoin('tenant', 'tenant.id', 'flow_run.tenant_id')
    .select(['flow_run.id as id', 'flow_run.tenant_id as tenant_id', 'flow_run.flow_id as flow_id', 'flow_run.name as name', 'flow_run.version as version'])
    .select(['flow.name as flow_name', 'flow.environment as environment', 'flow.version_group_id as version_group_id', 'tenant.slug as slug'])
    .where('flow_run.id', '=', flowRunId)
    .where('flow_run.tenant_id', '=', ctx.tenantId)
    .executeTakeFirst();
  if (!run) throw new HookTestFailure('Invalid flow run ID.');
  const type = (state as { type: string }).type;
  return {
    flow_run: {
      id: run.id,
      is_test_event: true,
      tenant_id: run.tenant_id,
      flow_id: run.flow_id,
      name: run.name,
      version: run.version + 1,
      state: type,
      serialized_state: state,
    },
    flow: { id: run.flow_id, tenant_id: run.tenant_id, name: run.flow_name, environment: run.environment, version_group_id: run.version_group_id },
    tenant: { id: run.tenant_id, slug: run.slug },
    state: { version: 1, state: type, serialized_state: state },
  };
}

/** The test event's parts without a flow run: made-up run and flow names. */
function sampleParts(hook: CloudHookTarget, state: JsonValue & object): FlowRunStateChangeParts {
  const type = (state as { type: string }).type;
  return {
    flow_run: { id: randomUUID(), name: generateRunName() },
    flow: { id: randomUUID(), name: 'Cloud Hook Test Flow' },
    tenant: { id: hook.tenantId, slug: 'test-slug' },
    state: { version: 1, state: type, serialized_state: state },
  };
}

export const testCloudHook: MutationResolver = async (args, ctx) => {
  const input = parseInput('test_cloud_hook', testInput, args);
  const type = TEST_STATES[input.state_type ?? 'SUCCESS'] ?? 'Success';
  const state = serializeState(type, { message: `Test ${type.toLowerCase()} state` });
  try {
    const row = await ctx.db.kysely
      .selectFrom('cloud_hook')
      .select(['id', 'type', 'config'])
      .where('id', '=', input.cloud_hook_id)
      .where('tenant_id', '=', ctx.tenantId)
      .executeTakeFirst();
    if (!row) throw new HookTestFailure('Invalid ID');
    const hook: CloudHookTarget = { id: row.id, tenantId: ctx.tenantId, type: row.type, config: row.config };
    const parts = input.flow_run_id ? await runParts(ctx, input.flow_run_id, state) : sampleParts(hook, state);
    await deliverHook(hook, flowRunStateChange(parts, ctx.now(), true), { db: ctx.db, events: ctx.events });
    return successPayload(true);
  } catch (error) {
    if (error instanceof HookTestFailure || error instanceof CloudHookDeliveryError) return { success: false, error: error.message };
    throw error;
  }
};

export const cloudHookResolvers = {
  create_cloud_hook: createCloudHook,
  delete_cloud_hook: deleteCloudHook,
  set_cloud_hook_active: setCloudHookActive,
  set_cloud_hook_inactive: setCloudHookInactive,
  test_cloud_hook: testCloudHook,
};
