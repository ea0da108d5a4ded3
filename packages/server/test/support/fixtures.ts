/**
 * A small, fully known data set per tenant, inserted with Kysely: one project, flow and flow
 * group, three tasks, four flow runs (states, labels, parameters and start times chosen so that
 * every filter and ordering has something to tell apart, nulls included), their task runs,
 * states and logs. Two tenants get the same names, so only the tenant filter separates them.
 */
import type { Database } from '../../src/index.js';
import { jsonb, type JsonValue } from '../../src/index.js';

export const TENANT_A = '0a000000-0000-4000-8000-00000000000a';
export const TENANT_B = '0b000000-0000-4000-8000-00000000000b';

export interface TenantData {
  readonly tenantId: string;
  readonly projectId: string;
  readonly flowId: string;
  readonly taskIds: { readonly extract: string; readonly transform: string; readonly load: string };
  /** Flow run ids by name. */
  readonly runs: Readonly<Record<RunName, string>>;
  /** Task run ids of `amber-fox`, by map index (-1 is the parent of the mapped transform). */
  readonly amberTaskRuns: readonly string[];
  readonly amberLogIds: readonly string[];
}

export type RunName = 'amber-fox' | 'brisk-owl' | 'calm-elk' | 'dusty-yak';

interface RunSpec {
  readonly name: RunName;
  readonly state: string | null;
  readonly labels: JsonValue;
  readonly parameters: JsonValue | null;
  readonly start: string | null;
  readonly version: number;
  readonly scheduled: string;
}

const RUNS: readonly RunSpec[] = [
  {
    name: 'amber-fox',
    state: 'Success',
    labels: ['prod', 'k8s'],
    parameters: { nested: { value: 42 }, x: 1 },
    start: '2021-05-12T17:59:56.383629+00:00',
    version: 3,
    scheduled: '2021-05-12T17:59:00+00:00',
  },
  {
    name: 'brisk-owl',
    state: 'Failed',
    labels: ['dev'],
    parameters: {},
    start: '2021-05-13T08:00:00+00:00',
    version: 1,
    scheduled: '2021-05-13T07:59:00+00:00',
  },
  {
    name: 'calm-elk',
    state: 'Running',
    labels: [],
    parameters: null,
    start: '2021-05-14T09:30:00.5+00:00',
    version: 2,
    scheduled: '2021-05-14T09:29:00+00:00',
  },
  { name: 'dusty-yak', state: null, labels: ['prod'], parameters: { x: 2 }, start: null, version: 0, scheduled: '2021-05-15T10:00:00+00:00' },
];

/** Inserts one tenant's data set and returns its ids. */
export async function insertTenantData(db: Database, tenantId: string): Promise<TenantData> {
  const k = db.kysely;
  const { id: projectId } = await k.insertInto('project').values({ tenant_id: tenantId, name: 'analytics' }).returning('id').executeTakeFirstOrThrow();
  const { id: flowGroupId } = await k.insertInto('flow_group').values({ tenant_id: tenantId, name: 'etl' }).returning('id').executeTakeFirstOrThrow();
  const { id: flowId } = await k
    .insertInto('flow')
    .values({
      tenant_id: tenantId,
      name: 'etl',
      project_id: projectId,
      flow_group_id: flowGroupId,
      version: 1,
      storage: jsonb({ type: 'Module', module: 'pipelines.etl' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const task = async (name: string, extra: { retry_delay?: string; max_retries?: number; mapped?: boolean; tags: JsonValue }): Promise<string> => {
    const { id } = await k
      .insertInto('task')
      .values({ tenant_id: tenantId, flow_id: flowId, name, slug: `${name}-1`, ...extra, tags: jsonb(extra.tags) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  };
  const taskIds = {
    extract: await task('extract', { retry_delay: '00:01:00', max_retries: 2, tags: ['io'] }),
    transform: await task('transform', { mapped: true, tags: ['cpu', 'io'] }),
    load: await task('load', { retry_delay: '1 day 02:00:00', max_retries: 0, tags: [] }),
  };
  const runs = {} as Record<RunName, string>;
  for (const spec of RUNS) {
    const { id } = await k
      .insertInto('flow_run')
      .values({
        tenant_id: tenantId,
        flow_id: flowId,
        name: spec.name,
        state: spec.state,
        labels: jsonb(spec.labels),
        parameters: spec.parameters === null ? null : jsonb(spec.parameters),
        start_time: spec.start,
        scheduled_start_time: spec.scheduled,
        version: spec.version,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    runs[spec.name] = id;
  }
  const amberTaskRuns: string[] = [];
  const taskRuns = [
    { task_id: taskIds.extract, map_index: -1, state: 'Success', start_time: '2021-05-12T18:00:00+00:00' },
    { task_id: taskIds.transform, map_index: -1, state: 'Mapped', start_time: '2021-05-12T18:00:01+00:00' },
    { task_id: taskIds.transform, map_index: 0, state: 'Success', start_time: '2021-05-12T18:00:02+00:00' },
    { task_id: taskIds.transform, map_index: 1, state: 'Failed', start_time: null },
    { task_id: taskIds.load, map_index: -1, state: 'Success', start_time: '2021-05-12T18:00:03+00:00' },
  ];
  for (const taskRun of taskRuns) {
    const { id } = await k
      .insertInto('task_run')
      .values({ tenant_id: tenantId, flow_run_id: runs['amber-fox'], ...taskRun })
      .returning('id')
      .executeTakeFirstOrThrow();
    amberTaskRuns.push(id);
  }
  await k
    .insertInto('task_run')
    .values({ tenant_id: tenantId, flow_run_id: runs['brisk-owl'], task_id: taskIds.extract, map_index: -1, state: 'Failed' })
    .execute();
  await k
    .insertInto('flow_run_state')
    .values(
      ['Scheduled', 'Running', 'Success'].map((state, index) => ({
        tenant_id: tenantId,
        flow_run_id: runs['amber-fox'],
        state,
        timestamp: `2021-05-12T17:59:5${index}+00:00`,
        serialized_state: jsonb({ type: state }),
      })),
    )
    .execute();
  const logs: { level: string; message: string; timestamp: string; info: JsonValue }[] = [
    { level: 'INFO', message: 'Beginning Flow run', timestamp: '2021-05-12T17:59:56.4+00:00', info: { attempt: 1 } },
    { level: 'DEBUG', message: 'Task extract: Starting task run', timestamp: '2021-05-12T18:00:00.000001+00:00', info: null },
    { level: 'ERROR', message: 'Task transform[1]: 100% failure', timestamp: '2021-05-12T18:00:02.5+00:00', info: { map_index: 1 } },
    { level: 'INFO', message: 'Flow run SUCCESS', timestamp: '2021-05-12T18:00:04+00:00', info: null },
  ];
  const amberLogIds: string[] = [];
  for (const log of logs) {
    const { id } = await k
      .insertInto('log')
      .values({ tenant_id: tenantId, flow_run_id: runs['amber-fox'], ...log, info: log.info === null ? null : jsonb(log.info) })
      .returning('id')
      .executeTakeFirstOrThrow();
    amberLogIds.push(id);
  }
  return { tenantId, projectId, flowId, taskIds, runs, amberTaskRuns, amberLogIds };
}
