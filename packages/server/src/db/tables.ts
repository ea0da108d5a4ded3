/**
 * Kysely row types of the tables created by `migrations.ts`, one interface per table, with the
 * column names of schema.graphql. Column types follow what both drivers return: `timestamptz`
 * reads as a `Date` and is written as a `Date` or an ISO string, `jsonb` reads as the parsed
 * value and is written as JSON text (see {@link jsonb}; node-postgres would turn a JS array into
 * a PostgreSQL array literal otherwise), `interval` reads and writes as PostgreSQL interval text.
 */
import type { JsonValue } from '@runview/prefect';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A JSON value as stored in a `jsonb` column. */
export type { JsonValue } from '@runview/prefect';

/** A `timestamptz` column that may be omitted on insert (it has a default). */
export type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable `timestamptz` column. */
export type Timestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A NOT NULL `timestamptz` column without a default. */
export type TimestampRequired = ColumnType<Date, Date | string, Date | string>;
/** A nullable `jsonb` column; write JSON text made by {@link jsonb}. */
export type Jsonb = ColumnType<JsonValue | null, string | null | undefined, string | null>;
/** A NOT NULL `jsonb` column with a default. */
export type JsonbDefault = ColumnType<JsonValue, string | undefined, string>;
/** A NOT NULL `jsonb` column without a default. */
export type JsonbRequired = ColumnType<JsonValue, string, string>;
/** A nullable `interval` column, as PostgreSQL interval text (`00:01:00`, `1 day 02:00:00`). */
export type Interval = ColumnType<string | null, string | null | undefined, string | null>;
/** An id column with a generated default. */
export type Id = Generated<string>;
/** A nullable column that may be omitted on insert. */
export type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** Serializes a value for a `jsonb` column (a bound parameter holding JSON text). */
export function jsonb(value: JsonValue): string {
  return JSON.stringify(value);
}

interface TenantRow {
  id: Id;
  /** Defaults to `DEFAULT_TENANT_ID` when omitted. */
  tenant_id: Generated<string | null>;
  created: TimestampDefault;
  updated: TimestampDefault;
}

export interface ProjectTable extends TenantRow {
  name: string;
  description: Nullable<string>;
}

export interface FlowGroupTable extends TenantRow {
  name: Nullable<string>;
  description: Nullable<string>;
  labels: Jsonb;
  schedule: Jsonb;
  run_config: Jsonb;
  settings: JsonbDefault;
  default_parameters: JsonbDefault;
}

export interface FlowTable extends TenantRow {
  name: string;
  version: Nullable<number>;
  version_group_id: Nullable<string>;
  description: Nullable<string>;
  core_version: Nullable<string>;
  project_id: string;
  flow_group_id: string;
  archived: Generated<boolean>;
  is_schedule_active: Generated<boolean>;
  environment: Jsonb;
  storage: Jsonb;
  run_config: Jsonb;
  parameters: Jsonb;
  serialized_flow: Jsonb;
  schedule: Jsonb;
  settings: JsonbDefault;
}

export interface TaskTable extends TenantRow {
  flow_id: string;
  name: Nullable<string>;
  slug: Nullable<string>;
  description: Nullable<string>;
  type: Nullable<string>;
  trigger: Nullable<string>;
  cache_key: Nullable<string>;
  max_retries: Nullable<number>;
  retry_delay: Interval;
  mapped: Generated<boolean>;
  auto_generated: Generated<boolean>;
  is_root_task: Generated<boolean>;
  is_terminal_task: Generated<boolean>;
  is_reference_task: Generated<boolean>;
  tags: JsonbDefault;
}

export interface AgentTable {
  id: Id;
  /** NOT NULL in Prefect Server; defaults to `DEFAULT_TENANT_ID` when omitted. */
  tenant_id: Generated<string>;
  created: TimestampDefault;
  updated: TimestampDefault;
  agent_config_id: Nullable<string>;
  name: Nullable<string>;
  type: Nullable<string>;
  core_version: Nullable<string>;
  labels: JsonbDefault;
  last_queried: Timestamp;
}

export interface FlowRunTable extends TenantRow {
  flow_id: string;
  name: Nullable<string>;
  parameters: ColumnType<JsonValue | null, string | null | undefined, string | null>;
  context: Jsonb;
  labels: JsonbDefault;
  run_config: Jsonb;
  scheduled_start_time: TimestampDefault;
  start_time: Timestamp;
  end_time: Timestamp;
  heartbeat: Timestamp;
  state_timestamp: Timestamp;
  state_start_time: Timestamp;
  auto_scheduled: Generated<boolean>;
  version: Generated<number>;
  state: Nullable<string>;
  state_message: Nullable<string>;
  state_result: Jsonb;
  serialized_state: Jsonb;
  idempotency_key: Nullable<string>;
  times_resurrected: ColumnType<number | null, number | null | undefined, number | null>;
  agent_id: Nullable<string>;
}

export interface TaskRunTable extends TenantRow {
  flow_run_id: string;
  task_id: string;
  map_index: Generated<number>;
  version: Generated<number>;
  name: Nullable<string>;
  cache_key: Nullable<string>;
  state: Nullable<string>;
  state_message: Nullable<string>;
  state_result: Jsonb;
  serialized_state: Jsonb;
  heartbeat: Timestamp;
  start_time: Timestamp;
  end_time: Timestamp;
  state_timestamp: Timestamp;
  state_start_time: Timestamp;
}

export interface LogTable extends TenantRow {
  flow_run_id: Nullable<string>;
  task_run_id: Nullable<string>;
  timestamp: TimestampDefault;
  name: Nullable<string>;
  /** Defaults to `INFO`. */
  level: ColumnType<string | null, string | null | undefined, string | null>;
  message: Nullable<string>;
  info: Jsonb;
  is_loaded_from_archive: Nullable<boolean>;
}

interface StateRow extends TenantRow {
  timestamp: TimestampDefault;
  state: string;
  message: Nullable<string>;
  result: Jsonb;
  start_time: Timestamp;
  serialized_state: JsonbRequired;
  /** Defaults to 1. */
  version: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface FlowRunStateTable extends StateRow {
  flow_run_id: string;
}

export interface TaskRunStateTable extends StateRow {
  task_run_id: string;
}

/** A tenant; its `tenant_id` is generated from `id` (a tenant owns itself) and never written. */
export interface TenantTable {
  id: Id;
  tenant_id: ColumnType<string, never, never>;
  created: TimestampDefault;
  updated: TimestampDefault;
  name: string;
  slug: string;
  info: Jsonb;
  settings: JsonbDefault;
}

/** An edge of a flow's task graph: `key` is the downstream task's argument fed by the upstream task. */
export interface EdgeTable extends TenantRow {
  flow_id: string;
  upstream_task_id: string;
  downstream_task_id: string;
  key: Nullable<string>;
  mapped: Generated<boolean>;
}

export interface CloudHookTable extends TenantRow {
  name: Nullable<string>;
  states: Jsonb;
  type: string;
  config: JsonbDefault;
  active: Generated<boolean>;
  version_group_id: Nullable<string>;
}

/** An agent configuration (`--agent-config-id`): settings an agent reads when it starts. */
export interface AgentConfigTable {
  id: Id;
  /** NOT NULL in Prefect Server; defaults to `DEFAULT_TENANT_ID` when omitted. */
  tenant_id: Generated<string>;
  created: TimestampDefault;
  updated: TimestampDefault;
  name: Nullable<string>;
  settings: JsonbDefault;
}

/** An artifact a task run published (`kind` "link" or "markdown", its `data`). */
export interface TaskRunArtifactTable {
  id: Id;
  tenant_id: Generated<string>;
  created: TimestampDefault;
  updated: TimestampDefault;
  task_run_id: string;
  kind: string;
  data: JsonbDefault;
}

/** A notification of the Prefect UI (cloud hook messages, approvals). */
export interface MessageTable {
  id: Id;
  tenant_id: Generated<string>;
  created: TimestampDefault;
  updated: TimestampDefault;
  read: Generated<boolean>;
  type: Nullable<string>;
  text: Nullable<string>;
  content: JsonbDefault;
}

/**
 * The row type of the task graph traversals `utility_downstream_tasks` and
 * `utility_upstream_tasks`, as Prefect Server's `utility.traversal`: the table stays empty,
 * each query computes its rows (`graphql/functions.ts`).
 */
export interface UtilityTraversalTable {
  tenant_id: string | null;
  task_id: string | null;
  depth: number | null;
}

/** Every table of the database, keyed by table name (the GraphQL type name). */
export interface Tables {
  project: ProjectTable;
  flow_group: FlowGroupTable;
  flow: FlowTable;
  task: TaskTable;
  agent: AgentTable;
  flow_run: FlowRunTable;
  task_run: TaskRunTable;
  log: LogTable;
  flow_run_state: FlowRunStateTable;
  task_run_state: TaskRunStateTable;
  agent_config: AgentConfigTable;
  task_run_artifact: TaskRunArtifactTable;
  message: MessageTable;
  tenant: TenantTable;
  edge: EdgeTable;
  cloud_hook: CloudHookTable;
  utility_traversal: UtilityTraversalTable;
}

export type TableName = keyof Tables;

export type Row<T extends TableName> = Selectable<Tables[T]>;
export type NewRow<T extends TableName> = Insertable<Tables[T]>;
export type RowUpdate<T extends TableName> = Updateable<Tables[T]>;
