/**
 * The database schema, one migration per entry, applied in order and recorded in
 * `runview_migration`. Tables and columns mirror the GraphQL types of schema.graphql (as
 * Hasura maps Prefect Server's own tables), so the query compiler can map field names to
 * columns one to one. One dialect for PGlite and PostgreSQL. A row written without a tenant
 * belongs to `DEFAULT_TENANT_ID`.
 */
import { DEFAULT_TENANT_ID } from './tenant.js';

export interface Migration {
  readonly id: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    id: '0001_initial',
    sql: /* sql */ `
CREATE TABLE project (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  name varchar NOT NULL,
  description varchar
);

CREATE TABLE flow_group (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  name varchar,
  description varchar,
  labels jsonb,
  schedule jsonb,
  run_config jsonb,
  settings jsonb NOT NULL DEFAULT '{}',
  default_parameters jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE flow (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  name varchar NOT NULL,
  version integer,
  version_group_id varchar,
  description varchar,
  core_version varchar,
  project_id uuid NOT NULL REFERENCES project (id) ON DELETE CASCADE,
  flow_group_id uuid NOT NULL REFERENCES flow_group (id) ON DELETE CASCADE,
  archived boolean NOT NULL DEFAULT false,
  is_schedule_active boolean NOT NULL DEFAULT false,
  environment jsonb,
  storage jsonb,
  run_config jsonb,
  parameters jsonb,
  serialized_flow jsonb,
  schedule jsonb,
  settings jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX flow_flow_group_id_created ON flow (flow_group_id, created DESC);
CREATE INDEX flow_name ON flow (name);
CREATE INDEX flow_project_id ON flow (project_id);

CREATE TABLE task (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  flow_id uuid NOT NULL REFERENCES flow (id) ON DELETE CASCADE,
  name varchar,
  slug varchar,
  description varchar,
  type varchar,
  trigger varchar,
  cache_key varchar,
  max_retries integer,
  retry_delay interval,
  mapped boolean NOT NULL DEFAULT false,
  auto_generated boolean NOT NULL DEFAULT false,
  is_root_task boolean NOT NULL DEFAULT false,
  is_terminal_task boolean NOT NULL DEFAULT false,
  is_reference_task boolean NOT NULL DEFAULT false,
  tags jsonb NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX task_flow_id_slug ON task (flow_id, slug);

CREATE TABLE agent (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  agent_config_id uuid,
  name varchar,
  type varchar,
  core_version varchar,
  labels jsonb NOT NULL DEFAULT '[]',
  last_queried timestamptz
);

CREATE TABLE flow_run (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  flow_id uuid NOT NULL REFERENCES flow (id) ON DELETE CASCADE,
  name varchar,
  parameters jsonb DEFAULT '{}',
  context jsonb,
  labels jsonb NOT NULL DEFAULT '[]',
  run_config jsonb,
  scheduled_start_time timestamptz NOT NULL DEFAULT now(),
  start_time timestamptz,
  end_time timestamptz,
  heartbeat timestamptz,
  state_timestamp timestamptz,
  state_start_time timestamptz,
  auto_scheduled boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 0,
  state varchar,
  state_message varchar,
  state_result jsonb,
  serialized_state jsonb,
  idempotency_key varchar,
  times_resurrected integer DEFAULT 0,
  agent_id uuid REFERENCES agent (id) ON DELETE SET NULL
);
CREATE INDEX flow_run_name ON flow_run (name);
CREATE INDEX flow_run_flow_id ON flow_run (flow_id);
CREATE INDEX flow_run_scheduled_start_time ON flow_run (scheduled_start_time DESC, id DESC);
CREATE INDEX flow_run_state_idx ON flow_run (state);

CREATE TABLE task_run (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  flow_run_id uuid NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  map_index integer NOT NULL DEFAULT -1,
  version integer NOT NULL DEFAULT 0,
  name varchar,
  cache_key varchar,
  state varchar,
  state_message varchar,
  state_result jsonb,
  serialized_state jsonb,
  heartbeat timestamptz,
  start_time timestamptz,
  end_time timestamptz,
  state_timestamp timestamptz,
  state_start_time timestamptz
);
CREATE UNIQUE INDEX task_run_flow_run_id_task_id_map_index ON task_run (flow_run_id, task_id, map_index);
CREATE INDEX task_run_flow_run_id_id ON task_run (flow_run_id, id);
CREATE INDEX task_run_task_id ON task_run (task_id);

CREATE TABLE log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  flow_run_id uuid REFERENCES flow_run (id) ON DELETE CASCADE,
  task_run_id uuid REFERENCES task_run (id) ON DELETE CASCADE,
  timestamp timestamptz NOT NULL DEFAULT now(),
  name varchar,
  level varchar DEFAULT 'INFO',
  message varchar,
  info jsonb,
  is_loaded_from_archive boolean
);
CREATE INDEX log_flow_run_id_timestamp_id ON log (flow_run_id, timestamp, id);
CREATE INDEX log_task_run_id_timestamp_id ON log (task_run_id, timestamp, id);

CREATE TABLE flow_run_state (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  flow_run_id uuid NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  timestamp timestamptz NOT NULL DEFAULT now(),
  state varchar NOT NULL,
  message varchar,
  result jsonb,
  start_time timestamptz,
  serialized_state jsonb NOT NULL,
  version integer DEFAULT 1
);
CREATE INDEX flow_run_state_flow_run_id_timestamp ON flow_run_state (flow_run_id, timestamp, id);

CREATE TABLE task_run_state (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  task_run_id uuid NOT NULL REFERENCES task_run (id) ON DELETE CASCADE,
  timestamp timestamptz NOT NULL DEFAULT now(),
  state varchar NOT NULL,
  message varchar,
  result jsonb,
  start_time timestamptz,
  serialized_state jsonb NOT NULL,
  version integer DEFAULT 1
);
CREATE INDEX task_run_state_task_run_id_timestamp ON task_run_state (task_run_id, timestamp, id);

CREATE INDEX project_tenant_id ON project (tenant_id);
CREATE INDEX flow_tenant_id ON flow (tenant_id);
CREATE INDEX flow_run_tenant_id ON flow_run (tenant_id);
`,
  },
  {
    // Tenants, task edges, cloud hooks and the uniqueness rules registration relies on.
    // A tenant row owns itself: its generated tenant_id lets every read be scoped the same way.
    id: '0002_registration',
    sql: /* sql */ `
CREATE TABLE tenant (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid GENERATED ALWAYS AS (id) STORED,
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  name varchar(255) NOT NULL,
  slug varchar(255) NOT NULL,
  info jsonb,
  settings jsonb NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX tenant_slug_key ON tenant (slug);
INSERT INTO tenant (id, name, slug) VALUES ('${DEFAULT_TENANT_ID}', 'default', 'default');

CREATE TABLE edge (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  flow_id uuid NOT NULL REFERENCES flow (id) ON DELETE CASCADE,
  upstream_task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  downstream_task_id uuid NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  key varchar,
  mapped boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX edge_flow_id_task_ids_key ON edge (flow_id, downstream_task_id, upstream_task_id);
CREATE INDEX edge_upstream_task_id ON edge (upstream_task_id);
CREATE INDEX edge_downstream_task_id ON edge (downstream_task_id);
CREATE INDEX edge_tenant_id ON edge (tenant_id);

CREATE TABLE cloud_hook (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  name varchar,
  states jsonb,
  type varchar NOT NULL,
  config jsonb NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  version_group_id varchar
);
CREATE INDEX cloud_hook_tenant_id ON cloud_hook (tenant_id);
CREATE INDEX cloud_hook_version_group_id ON cloud_hook (version_group_id);

CREATE UNIQUE INDEX project_tenant_id_name_key ON project (tenant_id, name);
CREATE INDEX flow_group_tenant_id_name ON flow_group (tenant_id, name);
CREATE INDEX flow_version_group_id ON flow (version_group_id);
`,
  },
  {
    // What Prefect Core's agent and runners and the Prefect UI write and read at run time:
    // agent configs, task run artifacts, the UI's messages, and the uniqueness that makes
    // `idempotency_key` idempotent under concurrent calls.
    id: '0003_runtime',
    sql: /* sql */ `
CREATE TABLE agent_config (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  name varchar,
  settings jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX agent_config_tenant_id ON agent_config (tenant_id);

-- No agent config existed before this migration, so no agent can name one.
UPDATE agent SET agent_config_id = NULL WHERE agent_config_id IS NOT NULL;
ALTER TABLE agent ADD CONSTRAINT agent_agent_config_id_fkey FOREIGN KEY (agent_config_id) REFERENCES agent_config (id) ON DELETE SET NULL;
CREATE INDEX agent_agent_config_id ON agent (agent_config_id);
CREATE INDEX agent_tenant_id ON agent (tenant_id);
CREATE INDEX flow_run_agent_id ON flow_run (agent_id);

CREATE TABLE task_run_artifact (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  task_run_id uuid NOT NULL REFERENCES task_run (id) ON DELETE CASCADE,
  kind varchar NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX task_run_artifact_task_run_id ON task_run_artifact (task_run_id);
CREATE INDEX task_run_artifact_tenant_id ON task_run_artifact (tenant_id);

CREATE TABLE message (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT '${DEFAULT_TENANT_ID}',
  created timestamptz NOT NULL DEFAULT now(),
  updated timestamptz NOT NULL DEFAULT now(),
  read boolean NOT NULL DEFAULT false,
  type varchar,
  text varchar,
  content jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX message_tenant_id_created ON message (tenant_id, created DESC);

-- Earlier versions could store one key twice under concurrent calls: the later duplicates
-- keep their runs but lose the key, so the unique index can be built.
UPDATE flow_run SET idempotency_key = NULL WHERE id IN (
  SELECT id FROM (
    SELECT id, row_number() OVER (PARTITION BY flow_id, idempotency_key ORDER BY created, id) AS position
    FROM flow_run WHERE idempotency_key IS NOT NULL
  ) AS keyed WHERE position > 1
);
CREATE UNIQUE INDEX flow_run_flow_id_idempotency_key ON flow_run (flow_id, idempotency_key);
`,
  },
  {
    // The row type of the task graph traversals (utility_downstream_tasks and
    // utility_upstream_tasks), as Prefect Server's utility.traversal: never written, each
    // query computes its rows.
    id: '0004_traversal',
    sql: /* sql */ `
CREATE TABLE utility_traversal (
  tenant_id uuid,
  task_id uuid,
  depth integer
);
`,
  },
  {
    // The flow run states whose cloud hooks were called: the server process that records a
    // state here calls its hooks, so with several processes on one database each state's
    // hooks are called once. Deleted with the state.
    id: '0005_cloud_hook_delivery',
    sql: /* sql */ `
CREATE TABLE cloud_hook_delivery (
  flow_run_state_id uuid PRIMARY KEY REFERENCES flow_run_state (id) ON DELETE CASCADE,
  created timestamptz NOT NULL DEFAULT now()
);
`,
  },
];
