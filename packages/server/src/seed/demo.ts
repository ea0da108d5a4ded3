import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { jsonb, type JsonValue, type NewRow, type Tables } from '../db/tables.js';
import { DEFAULT_TENANT_ID } from '../db/tenant.js';
import { SERIALIZER_CORE_VERSION, type JsonObject } from '../states/index.js';
import { CHATTY, demoData, type DemoData } from './demo-data.js';
import { insertGeneratedLogs } from './generated-logs.js';
import { DEMO, demoId } from './ids.js';
import { flowRunRows, taskRunRows } from './rows.js';

const V = SERIALIZER_CORE_VERSION;
const REGISTERED = '1978-03-01T09:00:00+00:00';

// Multi-row inserts of at most this many rows (12-16 columns: well under 65,535 parameters).
const ROWS_PER_INSERT = 1000;

interface TaskSpec {
  readonly slug: string;
  readonly name: string;
  readonly type: string;
  readonly mapped?: boolean;
  readonly root?: boolean;
  readonly terminal?: boolean;
  readonly maxRetries?: number;
  readonly retryDelay?: string;
}

/** A dependency between two tasks of a flow, as Prefect registers it (`key`: the argument name). */
interface EdgeSpec {
  readonly upstream: string;
  readonly downstream: string;
  readonly key: string;
  readonly mapped: boolean;
}

interface FlowSpec {
  readonly flowId: string;
  readonly flowGroupId: string;
  readonly name: string;
  readonly module: string;
  readonly taskIds: Readonly<Record<string, string>>;
  readonly tasks: readonly TaskSpec[];
  readonly parameters: readonly JsonObject[];
  readonly labels: readonly string[];
  readonly edges: readonly EdgeSpec[];
}

const FLOWS: readonly FlowSpec[] = [
  {
    ...DEMO.helloWorld,
    module: 'flows.hello_world',
    labels: [],
    parameters: [],
    tasks: ['say_hello-1', 'say_hello-2', 'say_hello-3'].map((slug) => ({
      slug,
      name: 'say_hello',
      type: 'prefect.tasks.core.function.FunctionTask',
      root: true,
      terminal: true,
    })),
    edges: [],
  },
  {
    ...DEMO.etl,
    module: 'flows.etl',
    labels: ['etl'],
    parameters: [
      {
        name: 'batch_size',
        slug: 'batch_size',
        default: 100,
        required: false,
        type: 'prefect.core.parameter.Parameter',
        description: null,
        tags: [],
        __version__: V,
      },
    ],
    tasks: [
      { slug: 'extract-1', name: 'extract', type: 'prefect.tasks.core.function.FunctionTask', root: true, maxRetries: 2, retryDelay: '00:00:10' },
      { slug: 'transform-1', name: 'transform', type: 'prefect.tasks.core.function.FunctionTask', mapped: true },
      { slug: 'load-1', name: 'load', type: 'prefect.tasks.core.function.FunctionTask', terminal: true },
    ],
    edges: [
      { upstream: 'extract-1', downstream: 'transform-1', key: 'x', mapped: true },
      { upstream: 'transform-1', downstream: 'load-1', key: 'xs', mapped: false },
    ],
  },
];

/** Prefect Core's serialized Module storage and UniversalRun run config. */
function storage(flow: FlowSpec): JsonObject {
  return { type: 'Module', module: flow.module, flows: { [flow.name]: flow.module }, secrets: [], __version__: V };
}

function runConfig(flow: FlowSpec): JsonObject {
  return { type: 'UniversalRun', env: null, labels: [...flow.labels], __version__: V };
}

function serializedFlow(flow: FlowSpec): JsonObject {
  return {
    name: flow.name,
    type: 'prefect.core.flow.Flow',
    tasks: flow.tasks.map((task) => ({
      slug: task.slug,
      name: task.name,
      type: task.type,
      tags: [],
      max_retries: task.maxRetries ?? 0,
      retry_delay: task.retryDelay ?? null,
      trigger: { fn: 'prefect.triggers.all_successful', kwargs: {} },
      __version__: V,
    })),
    edges: flow.edges.map((edge) => ({
      upstream_task: { slug: edge.upstream, __version__: V },
      downstream_task: { slug: edge.downstream, __version__: V },
      key: edge.key,
      mapped: edge.mapped,
      flattened: false,
      __version__: V,
    })),
    parameters: [...flow.parameters],
    reference_tasks: [],
    schedule: null,
    environment: null,
    storage: storage(flow),
    run_config: runConfig(flow),
    __version__: V,
  };
}

async function insertInBatches<T extends keyof Tables>(db: Kysely<Tables>, table: T, rows: readonly NewRow<T>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    // Kysely cannot type a multi-row insert over a generic table; the rows are NewRow<T>.
    await db
      .insertInto(table as 'log')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }
}

async function insertFlows(db: Kysely<Tables>, tenantId: string): Promise<void> {
  await db
    .insertInto('project')
    .values({ id: DEMO.projectId, tenant_id: tenantId, name: DEMO.projectName, created: REGISTERED, updated: REGISTERED })
    .execute();
  for (const flow of FLOWS) {
    const taskId = (slug: string): string => flow.taskIds[slug] ?? demoId(`${flow.name}/${slug}`);
    await db
      .insertInto('flow_group')
      .values({
        id: flow.flowGroupId,
        tenant_id: tenantId,
        name: flow.name,
        labels: jsonb([...flow.labels]),
        settings: jsonb({}),
        default_parameters: jsonb({}),
        created: REGISTERED,
        updated: REGISTERED,
      })
      .execute();
    await db
      .insertInto('flow')
      .values({
        id: flow.flowId,
        tenant_id: tenantId,
        name: flow.name,
        version: 1,
        version_group_id: flow.flowGroupId,
        core_version: V,
        project_id: DEMO.projectId,
        flow_group_id: flow.flowGroupId,
        storage: jsonb(storage(flow)),
        run_config: jsonb(runConfig(flow)),
        parameters: jsonb(flow.parameters as JsonValue),
        serialized_flow: jsonb(serializedFlow(flow)),
        settings: jsonb({}),
        created: REGISTERED,
        updated: REGISTERED,
      })
      .execute();
    await insertInBatches(
      db,
      'task',
      flow.tasks.map((task): NewRow<'task'> => ({
        id: taskId(task.slug),
        tenant_id: tenantId,
        flow_id: flow.flowId,
        name: task.name,
        slug: task.slug,
        type: task.type,
        trigger: 'prefect.triggers.all_successful',
        max_retries: task.maxRetries ?? 0,
        retry_delay: task.retryDelay ?? null,
        mapped: task.mapped ?? false,
        is_root_task: task.root ?? false,
        is_terminal_task: task.terminal ?? false,
        is_reference_task: task.terminal ?? false,
        tags: jsonb([]),
        created: REGISTERED,
        updated: REGISTERED,
      })),
    );
    if (flow.edges.length > 0) {
      await db
        .insertInto('edge')
        .values(
          flow.edges.map((edge) => ({
            id: demoId(`${flow.name}/${edge.upstream}->${edge.downstream}`),
            tenant_id: tenantId,
            flow_id: flow.flowId,
            upstream_task_id: taskId(edge.upstream),
            downstream_task_id: taskId(edge.downstream),
            key: edge.key,
            mapped: edge.mapped,
            created: REGISTERED,
            updated: REGISTERED,
          })),
        )
        .execute();
    }
  }
}

async function insertAgents(db: Kysely<Tables>, tenantId: string): Promise<void> {
  await db
    .insertInto('agent')
    .values([
      {
        id: DEMO.agents.local,
        tenant_id: tenantId,
        name: 'local-agent',
        type: 'LocalAgent',
        core_version: V,
        labels: jsonb(['etl']),
        last_queried: '2021-05-15T08:00:30+00:00',
        created: '2021-05-01T08:00:00+00:00',
        updated: '2021-05-15T08:00:30+00:00',
      },
      {
        id: DEMO.agents.kubernetes,
        tenant_id: tenantId,
        name: 'k8s-agent',
        type: 'KubernetesAgent',
        core_version: V,
        labels: jsonb(['etl', 'k8s', 'prod']),
        last_queried: '2021-05-14T09:59:00+00:00',
        created: '2021-05-01T08:00:00+00:00',
        updated: '2021-05-14T09:59:00+00:00',
      },
    ])
    .execute();
}

async function insertRuns(db: Kysely<Tables>, data: DemoData, tenantId: string): Promise<void> {
  const flowRuns = data.flowRuns.map((spec) => flowRunRows(spec, tenantId));
  const taskRuns = data.taskRuns.map((spec) => taskRunRows(spec, tenantId));
  await insertInBatches(
    db,
    'flow_run',
    flowRuns.map((rows) => rows.run),
  );
  await insertInBatches(
    db,
    'flow_run_state',
    flowRuns.flatMap((rows) => rows.history),
  );
  await insertInBatches(
    db,
    'task_run',
    taskRuns.map((rows) => rows.run),
  );
  await insertInBatches(
    db,
    'task_run_state',
    taskRuns.flatMap((rows) => rows.history),
  );
  await insertInBatches(
    db,
    'log',
    data.logs.map((log): NewRow<'log'> => ({
      id: log.id,
      tenant_id: tenantId,
      flow_run_id: log.flowRunId,
      task_run_id: log.taskRunId ?? null,
      timestamp: log.at,
      created: log.at,
      updated: log.at,
      name: log.name,
      level: log.level,
      message: log.message,
    })),
  );
  await insertGeneratedLogs(db, {
    tenantId,
    flowRunIds: [DEMO.flowRuns.chatty],
    taskRunIds: ['extract-1', 'transform-1', 'load-1'].map((slug) => demoId(`${DEMO.flowRuns.chatty}/${slug}`)),
    count: DEMO.chattyLogCount,
    start: CHATTY.firstLog,
    stepMicroseconds: CHATTY.logStepMicroseconds,
    idPrefix: `${DEMO.flowRuns.chatty}/log/`,
  });
}

/** Options of {@link seedDemo}. */
export interface SeedDemoOptions {
  /** The tenant that owns the demo rows (default: the default tenant). */
  readonly tenantId?: string;
}

/**
 * Loads the demo data (`--seed demo`): the flows `hello-world` and `etl` in project
 * `default`, two agents, and six flow runs with full state histories, task runs and logs,
 * among them the runs of Prefect's "Inspecting flow runs" documentation (see {@link DEMO}).
 * Idempotent: when the reference flow run exists already, nothing is written. Everything is
 * written in one transaction.
 */
export async function seedDemo(db: Database, options: SeedDemoOptions = {}): Promise<void> {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  await db.transaction(async (tx) => {
    const seeded = await tx.selectFrom('flow_run').select('id').where('id', '=', DEMO.flowRuns.reference).executeTakeFirst();
    if (seeded) return;
    await insertFlows(tx, tenantId);
    await insertAgents(tx, tenantId);
    await insertRuns(tx, demoData(), tenantId);
  });
}
