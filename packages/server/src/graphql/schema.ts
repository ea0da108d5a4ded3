/**
 * The executable schema: the contract's SDL as is (so introspection equals schema.graphql) and
 * a resolver map, built by `@graphql-tools/schema`: the custom scalars' validation, the table
 * root fields compiled to SQL, the Prefect layer's queries (`api`, `hello`...), and the write
 * mutations. A Prefect-layer query or a mutation the contract lacks is an error when the schema
 * is built.
 */
import { Kind, parse, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { MutationResolvers, RequestContext } from './context.js';
import { forbidden, graphQLError } from './errors.js';
import { executeRootField, metadataOf } from './execute.js';
import { executeFunctionField, isFunctionField } from './functions.js';
import { TABLE_NAMES, rootFieldTable } from './metadata.js';
import { scalarBehaviours } from './scalars.js';
import { runtimeQueryResolvers } from '../queries/runtime.js';
import { SERVER_VERSION } from './version.js';

type Resolver = GraphQLFieldResolver<unknown, RequestContext>;
type FieldResolvers = Record<string, Resolver>;

/**
 * Fields below a table root field read their value by response key: the SQL already built the
 * JSON under aliases, so `a: logs(...)` and `b: logs(...)` each find their own list.
 */
const byResponseKey: Resolver = (source, _args, _ctx, info) =>
  typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[info.path.key] : undefined;

const tableRootField: Resolver = (_source, _args, ctx, info) => executeRootField(ctx, info);

const functionField: Resolver = (_source, _args, ctx, info) => executeFunctionField(ctx, info);

const apiInfo = { backend: 'SERVER', mode: 'normal', version: SERVER_VERSION, core_version: null, release_timestamp: null };

/** The names of an object type's fields in the SDL (its definition and any extensions). */
function fieldNames(document: DocumentNode, typeName: string): string[] {
  const names: string[] = [];
  for (const definition of document.definitions) {
    if ((definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) && definition.name.value === typeName) {
      for (const field of definition.fields ?? []) names.push(field.name.value);
    }
  }
  return names;
}

/** One resolver per field of the type for which `resolve` has one. */
function resolversOf(document: DocumentNode, typeName: string, resolve: (fieldName: string) => Resolver | undefined): FieldResolvers {
  const resolvers: FieldResolvers = {};
  for (const name of fieldNames(document, typeName)) {
    const resolver = resolve(name);
    if (resolver !== undefined) resolvers[name] = resolver;
  }
  return resolvers;
}

/** Table root fields and table functions: one per such field of the contract. */
function tableQueryResolver(name: string): Resolver | undefined {
  if (rootFieldTable(name) !== undefined) return tableRootField;
  if (isFunctionField(name)) return functionField;
  return undefined;
}

/** The Prefect layer's queries: each must be a field of the contract. */
function prefectQueryResolvers(): FieldResolvers {
  const resolvers: FieldResolvers = { api: () => apiInfo, hello: () => '👋' };
  for (const [name, prefectQuery] of Object.entries(runtimeQueryResolvers)) {
    resolvers[name] = (_source, args, ctx) => prefectQuery(args as Record<string, unknown>, ctx);
  }
  return resolvers;
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
  const document = parse(sdl);
  const resolvers: Record<string, object> = {
    ...scalarBehaviours,
    Query: { ...resolversOf(document, 'Query', tableQueryResolver), ...prefectQueryResolvers() },
  };
  // Every mutation of the contract answers (NOT_IMPLEMENTED without a resolver); every resolver
  // must be a mutation of the contract.
  const mutationNames = new Set([...fieldNames(document, 'Mutation'), ...Object.keys(mutations)]);
  if (mutationNames.size > 0) resolvers['Mutation'] = Object.fromEntries([...mutationNames].map((name) => [name, mutationField(name, mutations)]));
  for (const table of TABLE_NAMES) {
    for (const typeName of [table, `${table}_aggregate`, `${table}_aggregate_fields`]) {
      const fields = resolversOf(document, typeName, () => byResponseKey);
      // A table function's row type has no aggregate types.
      if (Object.keys(fields).length > 0) resolvers[typeName] = fields;
    }
  }
  const schema = makeExecutableSchema<RequestContext>({ typeDefs: document, resolvers });
  // The SQL compiler's reading of the tables, built now: a contract it cannot read fails at
  // start, and the first request finds it ready.
  metadataOf(schema);
  return schema;
}
