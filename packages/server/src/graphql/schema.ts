/**
 * The executable schema: the contract's SDL as is (so introspection equals schema.graphql),
 * with the custom scalars' validation, the table root fields compiled to SQL, the Prefect
 * layer's `api`/`hello`, and the write mutations.
 */
import {
  GraphQLObjectType,
  GraphQLScalarType,
  buildSchema,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { MutationResolvers, RequestContext } from './context.js';
import { forbidden, graphQLError } from './errors.js';
import { executeRootField } from './execute.js';
import { executeFunctionField, isFunctionField } from './functions.js';
import { TABLE_NAMES, buildMetadata, rootFieldTable } from './metadata.js';
import { scalarBehaviours } from './scalars.js';
import { runtimeQueryResolvers } from '../queries/runtime.js';
import { SERVER_VERSION } from './version.js';

type Resolver = GraphQLFieldResolver<unknown, RequestContext>;

/**
 * Fields below a table root field read their value by response key: the SQL already built the
 * JSON under aliases, so `a: logs(...)` and `b: logs(...)` each find their own list.
 */
const byResponseKey: Resolver = (source, _args, _ctx, info) =>
  typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[info.path.key] : undefined;

const tableRootField: Resolver = (_source, _args, ctx, info) => executeRootField(ctx, info);

const apiInfo = { backend: 'SERVER', mode: 'normal', version: SERVER_VERSION, core_version: null, release_timestamp: null };

function setResolvers(type: GraphQLObjectType, resolve: (fieldName: string) => Resolver | undefined): void {
  for (const field of Object.values(type.getFields())) {
    const resolver = resolve(field.name);
    if (resolver !== undefined) field.resolve = resolver;
  }
}

/** A mutation: refused with FORBIDDEN for read-only keys, NOT_IMPLEMENTED when no resolver exists. */
function mutationField(name: string, mutations: MutationResolvers): Resolver {
  return async (_source, args, ctx) => {
    if (!ctx.canWrite) throw forbidden(`this API key is read-only: ${name} is not allowed`);
    const resolver = mutations[name];
    if (resolver === undefined) throw graphQLError(`${name} is not implemented by this server`, 'NOT_IMPLEMENTED');
    return resolver(args as Record<string, unknown>, ctx);
  };
}

/** Builds the executable schema from the contract's SDL. */
export function buildExecutableSchema(sdl: string, mutations: MutationResolvers = {}): GraphQLSchema {
  const schema = buildSchema(sdl);
  buildMetadata(schema);
  for (const [name, behaviour] of Object.entries(scalarBehaviours)) {
    const scalar = schema.getType(name);
    if (scalar instanceof GraphQLScalarType) Object.assign(scalar, behaviour);
  }
  const query = schema.getQueryType();
  if (query === undefined || query === null) throw new TypeError('schema.graphql has no Query type');
  setResolvers(query, (name) => {
    if (rootFieldTable(name) !== undefined) return tableRootField;
    if (isFunctionField(name)) return (_source, _args, ctx, info) => executeFunctionField(ctx, info);
    if (name === 'api') return () => apiInfo;
    if (name === 'hello') return () => '👋';
    const prefectQuery = runtimeQueryResolvers[name];
    if (prefectQuery !== undefined) return (_source, args, ctx) => prefectQuery(args as Record<string, unknown>, ctx);
    return undefined;
  });
  const mutation = schema.getMutationType();
  if (mutation) setResolvers(mutation, (name) => mutationField(name, mutations));
  for (const table of TABLE_NAMES) {
    for (const typeName of [table, `${table}_aggregate`, `${table}_aggregate_fields`]) {
      const type = schema.getType(typeName);
      if (type instanceof GraphQLObjectType) setResolvers(type, () => byResponseKey);
    }
  }
  return schema;
}
