/**
 * `create_flow` and `create_flow_from_compressed_string`: registering a new version of a flow
 * as Prefect Server does, in one transaction. The version group is the one given, else the
 * newest flow's of the same name in the project, else a new one; its flow group (named after
 * the version group) is created on first use. A repeated `idempotency_key` returns the
 * current version and writes nothing. The new version is numbered after the group's highest,
 * its tasks and edges are stored, and every other version of the group is archived.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { jsonb, type JsonValue, type Tables } from '../db/tables.js';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { archiveFlows } from './archive.js';
import { decompressFlow } from './compressed-flow.js';
import { withConstraintErrors } from './database-errors.js';
import { notFound } from './errors.js';
import { insertEdges, insertTasks, refreshTaskFlags } from './flow-graph.js';
import { parseInput, uuid } from './input.js';
import { activateSchedule } from './schedule.js';
import { emitRunChanges, noRunChanges, type RunChanges } from './scheduled-runs.js';
import { asJson, checkCoreVersion, parseSerialized, serializedFlow, type SerializedFlow } from './serialized-flow.js';
import { isJsonObject } from './json.js';

const registrationFields = {
  project_id: uuid,
  version_group_id: z.string().nullish(),
  set_schedule_active: z.boolean().nullish(),
  description: z.string().nullish(),
  idempotency_key: z.string().nullish(),
};

const createFlowInput = z.object({ serialized_flow: z.unknown(), ...registrationFields });
const compressedFlowInput = z.object({ serialized_flow: z.string(), ...registrationFields });

type RegistrationInput = Omit<z.output<typeof createFlowInput>, 'serialized_flow'>;

/** The settings of a new flow group, as Prefect Server creates them. */
function newGroupSettings(idempotencyKey: string | null): JsonValue {
  return { heartbeat_enabled: true, lazarus_enabled: true, version_locking_enabled: false, idempotency_key: idempotencyKey };
}

interface Registered {
  readonly flowId: string;
  /** False when an idempotency key matched: nothing was written. */
  readonly isNew: boolean;
  readonly flowGroupId: string;
  readonly groupIsNew: boolean;
  readonly taskIds: readonly string[];
  readonly edgeIds: readonly string[];
  readonly archived: readonly string[];
  readonly runs: RunChanges;
}

/** The version group of the newest flow with this name in the project, if any. */
async function versionGroupByName(tx: Kysely<Tables>, tenantId: string, projectId: string, name: string): Promise<string | undefined> {
  const flow = await tx
    .selectFrom('flow')
    .select('version_group_id')
    .where('tenant_id', '=', tenantId)
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .orderBy('created', 'desc')
    .limit(1)
    .executeTakeFirst();
  return flow?.version_group_id ?? undefined;
}

async function registerInTransaction(
  tx: Kysely<Tables>,
  ctx: RequestContext,
  serialized: unknown,
  flow: SerializedFlow,
  input: RegistrationInput,
): Promise<Registered> {
  const { tenantId } = ctx;
  const now = ctx.now();
  const project = await tx.selectFrom('project').select('id').where('id', '=', input.project_id).where('tenant_id', '=', tenantId).executeTakeFirst();
  if (!project) throw notFound('Invalid project.');
  // An empty version group id counts as none, as in Prefect Server.
  const givenGroup = input.version_group_id === '' ? null : (input.version_group_id ?? null);
  const versionGroupId = givenGroup ?? (await versionGroupByName(tx, tenantId, project.id, flow.name)) ?? randomUUID();
  const idempotencyKey = input.idempotency_key ?? null;

  const group = await tx
    .selectFrom('flow_group')
    .select(['id', 'schedule', 'settings'])
    .where('tenant_id', '=', tenantId)
    .where('name', '=', versionGroupId)
    .orderBy('created')
    .limit(1)
    .executeTakeFirst();
  let flowGroupId: string;
  if (group === undefined) {
    const inserted = await tx
      .insertInto('flow_group')
      .values({ tenant_id: tenantId, name: versionGroupId, settings: jsonb(newGroupSettings(idempotencyKey)) })
      .returning('id')
      .executeTakeFirstOrThrow();
    flowGroupId = inserted.id;
  } else {
    flowGroupId = group.id;
    const settings = isJsonObject(group.settings) ? group.settings : {};
    const lastKey = settings['idempotency_key'];
    if (idempotencyKey && typeof lastKey === 'string' && lastKey === idempotencyKey) {
      const current = await tx
        .selectFrom('flow')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('version_group_id', '=', versionGroupId)
        .where('archived', '=', false)
        .orderBy('version', (ob) => ob.desc().nullsLast())
        .limit(1)
        .executeTakeFirst();
      if (current) return { flowId: current.id, isNew: false, flowGroupId, groupIsNew: false, taskIds: [], edgeIds: [], archived: [], runs: noRunChanges() };
    }
    await tx
      .updateTable('flow_group')
      .set({ settings: jsonb({ ...settings, idempotency_key: idempotencyKey }), updated: now })
      .where('id', '=', flowGroupId)
      .execute();
  }

  const highest = await tx
    .selectFrom('flow')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('tenant_id', '=', tenantId)
    .where('version_group_id', '=', versionGroupId)
    .executeTakeFirst();
  const inserted = await tx
    .insertInto('flow')
    .values({
      tenant_id: tenantId,
      project_id: project.id,
      flow_group_id: flowGroupId,
      name: flow.name,
      version: (highest?.version ?? 0) + 1,
      version_group_id: versionGroupId,
      description: input.description ?? null,
      core_version: flow.__version__,
      serialized_flow: jsonb(asJson(serialized)),
      environment: flow.environment === null ? null : jsonb(asJson(flow.environment)),
      run_config: flow.run_config === null ? null : jsonb(asJson(flow.run_config)),
      storage: flow.storage === null ? null : jsonb(asJson(flow.storage)),
      parameters: jsonb(asJson(flow.parameters)),
      schedule: flow.schedule === null ? null : jsonb(asJson(flow.schedule)),
      archived: false,
      is_schedule_active: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const flowRef = { id: inserted.id, tenantId };
  const taskIds = await insertTasks(tx, flowRef, flow.tasks);
  const edgeIds = await insertEdges(tx, flowRef, flow.edges);
  await refreshTaskFlags(tx, inserted.id, flow.reference_tasks);

  const scheduleWanted = input.set_schedule_active ?? true;
  if (scheduleWanted && (flow.schedule !== null || (group?.schedule ?? null) !== null)) {
    // Prefect Server registers the flow even when its schedule cannot be turned on (the
    // refusal is thrown before anything is written, so the transaction goes on).
    await activateSchedule(tx, tenantId, inserted.id).catch((error: unknown) => {
      if (error instanceof GraphQLError) return false;
      throw error;
    });
  }

  const others = await tx
    .selectFrom('flow')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('version_group_id', '=', versionGroupId)
    .where('id', '!=', inserted.id)
    .where('archived', '=', false)
    .execute();
  const runs = noRunChanges();
  const archived = await archiveFlows(
    tx,
    ctx,
    others.map((row) => row.id),
    runs,
  );
  return { flowId: inserted.id, isNew: true, flowGroupId, groupIsNew: group === undefined, taskIds, edgeIds, archived, runs };
}

function emitRegistered(ctx: RequestContext, registered: Registered): void {
  if (!registered.isNew) return;
  const { tenantId } = ctx;
  ctx.events.emit({ table: 'flow_group', tenantId, operation: registered.groupIsNew ? 'insert' : 'update', ids: [registered.flowGroupId] });
  ctx.events.emit({ table: 'flow', tenantId, operation: 'insert', ids: [registered.flowId] });
  if (registered.taskIds.length > 0) ctx.events.emit({ table: 'task', tenantId, operation: 'insert', ids: registered.taskIds });
  if (registered.edgeIds.length > 0) ctx.events.emit({ table: 'edge', tenantId, operation: 'insert', ids: registered.edgeIds });
  if (registered.archived.length > 0) ctx.events.emit({ table: 'flow', tenantId, operation: 'update', ids: registered.archived });
  emitRunChanges(ctx, registered.runs);
}

/** Registers a decoded serialized flow; the payload is `flow_id_payload`. */
async function registerFlow(ctx: RequestContext, serialized: unknown, input: RegistrationInput): Promise<{ id: string }> {
  const flow = parseSerialized(serializedFlow, serialized, 'serialized flow');
  checkCoreVersion(flow.__version__);
  const registered = await withConstraintErrors(() => ctx.db.transaction((tx) => registerInTransaction(tx, ctx, serialized, flow, input)));
  emitRegistered(ctx, registered);
  return { id: registered.flowId };
}

/** `create_flow`: the serialized flow as a JSON object. */
export const createFlow: MutationResolver = async (args, ctx) => {
  const { serialized_flow: serialized, ...input } = parseInput('create_flow', createFlowInput, args);
  return registerFlow(ctx, serialized, input);
};

/** `create_flow_from_compressed_string`: the serialized flow as Prefect Core's `compress()` writes it. */
export const createFlowFromCompressedString: MutationResolver = async (args, ctx) => {
  const { serialized_flow: compressed, ...input } = parseInput('create_flow_from_compressed_string', compressedFlowInput, args);
  return registerFlow(ctx, decompressFlow(compressed), input);
};
