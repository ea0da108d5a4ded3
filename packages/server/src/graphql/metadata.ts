/**
 * What the query compiler knows about the tables, read from the contract itself: a type named
 * like a table is that table, its scalar fields are columns (same names), its fields of a table
 * type are relationships. Only the join columns of each relationship are declared here, and
 * `buildMetadata` fails loudly if the contract and this list ever disagree. SQL identifiers are
 * only ever taken from this metadata, never from request text.
 */
import { GraphQLList, GraphQLNonNull, GraphQLObjectType, getNamedType, isScalarType, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { TableName } from '../db/tables.js';

export const TABLE_NAMES: readonly TableName[] = [
  'flow_run',
  'task_run',
  'task',
  'log',
  'flow',
  'flow_group',
  'project',
  'flow_run_state',
  'task_run_state',
  'agent',
  'agent_config',
  'task_run_artifact',
  'message',
  'tenant',
  'edge',
  'cloud_hook',
  'utility_traversal',
];

/** The PostgreSQL type behind each column scalar: the cast of bound values and how values compare. */
export type ColumnScalar = 'uuid' | 'timestamptz' | 'jsonb' | 'interval' | 'Int' | 'String' | 'Boolean';

export interface Column {
  readonly name: string;
  readonly scalar: ColumnScalar;
}

export interface Relationship {
  readonly name: string;
  readonly kind: 'object' | 'array';
  readonly target: TableName;
  /** Column of the table the relationship starts from. */
  readonly localColumn: string;
  /** Column of the target table that equals `localColumn`. */
  readonly remoteColumn: string;
}

export interface TableInfo {
  readonly name: TableName;
  readonly columns: ReadonlyMap<string, Column>;
  readonly relationships: ReadonlyMap<string, Relationship>;
  /** `<array relationship>_aggregate` field name -> the array relationship. */
  readonly aggregateRelationships: ReadonlyMap<string, Relationship>;
}

export type Metadata = ReadonlyMap<TableName, TableInfo>;

/** Join columns per relationship: `[local column, remote column]` (Prefect Server's foreign keys). */
const JOINS: Record<TableName, Record<string, readonly [string, string]>> = {
  flow_run: {
    agent: ['agent_id', 'id'],
    flow: ['flow_id', 'id'],
    logs: ['id', 'flow_run_id'],
    states: ['id', 'flow_run_id'],
    task_runs: ['id', 'flow_run_id'],
    tenant: ['tenant_id', 'id'],
  },
  task_run: {
    flow_run: ['flow_run_id', 'id'],
    task: ['task_id', 'id'],
    logs: ['id', 'task_run_id'],
    states: ['id', 'task_run_id'],
    tenant: ['tenant_id', 'id'],
  },
  task: { flow: ['flow_id', 'id'], task_runs: ['id', 'task_id'], upstream_edges: ['id', 'downstream_task_id'], downstream_edges: ['id', 'upstream_task_id'] },
  log: {},
  flow: {
    project: ['project_id', 'id'],
    flow_group: ['flow_group_id', 'id'],
    flow_runs: ['id', 'flow_id'],
    tasks: ['id', 'flow_id'],
    edges: ['id', 'flow_id'],
    tenant: ['tenant_id', 'id'],
  },
  flow_group: { flows: ['id', 'flow_group_id'], tenant: ['tenant_id', 'id'] },
  project: { flows: ['id', 'project_id'], tenant: ['tenant_id', 'id'] },
  flow_run_state: { flow_run: ['flow_run_id', 'id'] },
  task_run_state: { task_run: ['task_run_id', 'id'] },
  agent: { flow_runs: ['id', 'agent_id'], agent_config: ['agent_config_id', 'id'] },
  agent_config: { agents: ['id', 'agent_config_id'] },
  task_run_artifact: { task_run: ['task_run_id', 'id'] },
  message: {},
  tenant: { flows: ['id', 'tenant_id'], projects: ['id', 'tenant_id'], flow_groups: ['id', 'tenant_id'] },
  edge: { flow: ['flow_id', 'id'], upstream_task: ['upstream_task_id', 'id'], downstream_task: ['downstream_task_id', 'id'] },
  cloud_hook: {},
  utility_traversal: { task: ['task_id', 'id'] },
};

const COLUMN_SCALARS = new Set<string>(['uuid', 'timestamptz', 'jsonb', 'interval', 'Int', 'String', 'Boolean']);

function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

function relationshipOf(table: TableName, field: GraphQLField<unknown, unknown>): Relationship | undefined {
  const named = getNamedType(field.type);
  if (!(named instanceof GraphQLObjectType) || !isTableName(named.name)) return undefined;
  const inner = field.type instanceof GraphQLNonNull ? field.type.ofType : field.type;
  const join = JOINS[table][field.name];
  if (join === undefined) throw new Error(`schema.graphql: relationship ${table}.${field.name} has no join columns`);
  return {
    name: field.name,
    kind: inner instanceof GraphQLList ? 'array' : 'object',
    target: named.name,
    localColumn: join[0],
    remoteColumn: join[1],
  };
}

/** Reads the tables, columns and relationships from the contract. */
export function buildMetadata(schema: GraphQLSchema): Metadata {
  const metadata = new Map<TableName, TableInfo>();
  for (const name of TABLE_NAMES) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`schema.graphql: table type ${name} is missing`);
    const columns = new Map<string, Column>();
    const relationships = new Map<string, Relationship>();
    const aggregates = new Map<string, Relationship>();
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isScalarType(named)) {
        if (!COLUMN_SCALARS.has(named.name)) throw new Error(`schema.graphql: column ${name}.${field.name} has unsupported type ${named.name}`);
        columns.set(field.name, { name: field.name, scalar: named.name as ColumnScalar });
        continue;
      }
      const relationship = relationshipOf(name, field);
      if (relationship !== undefined) relationships.set(field.name, relationship);
    }
    for (const field of Object.values(type.getFields())) {
      if (!field.name.endsWith('_aggregate')) continue;
      const base = relationships.get(field.name.slice(0, -'_aggregate'.length));
      if (base?.kind !== 'array') throw new Error(`schema.graphql: ${name}.${field.name} has no array relationship`);
      aggregates.set(field.name, base);
    }
    for (const relationship of relationships.values()) {
      if (!columns.has(relationship.localColumn))
        throw new Error(`schema.graphql: ${name}.${relationship.name} joins on missing column ${relationship.localColumn}`);
    }
    metadata.set(name, { name, columns, relationships, aggregateRelationships: aggregates });
  }
  for (const table of metadata.values()) {
    for (const relationship of table.relationships.values()) {
      if (!metadata.get(relationship.target)?.columns.has(relationship.remoteColumn)) {
        throw new Error(`schema.graphql: ${table.name}.${relationship.name} joins on missing column ${relationship.target}.${relationship.remoteColumn}`);
      }
    }
  }
  return metadata;
}

/** The table behind a root field name (`flow_run`, `flow_run_by_pk`, `flow_run_aggregate`). */
export function rootFieldTable(fieldName: string): { table: TableName; kind: 'list' | 'by_pk' | 'aggregate' } | undefined {
  if (isTableName(fieldName)) return { table: fieldName, kind: 'list' };
  for (const [suffix, kind] of [
    ['_by_pk', 'by_pk'],
    ['_aggregate', 'aggregate'],
  ] as const) {
    if (fieldName.endsWith(suffix)) {
      const base = fieldName.slice(0, -suffix.length);
      if (isTableName(base)) return { table: base, kind };
    }
  }
  return undefined;
}
