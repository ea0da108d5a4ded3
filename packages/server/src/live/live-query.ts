/**
 * Subscriptions as Hasura serves them: live queries. A subscription field runs the same one
 * SQL statement as its query twin, pushes the result, and runs it again whenever a change to
 * one of the tables it reads is announced for the caller's tenant (a deleted row also changes
 * the tables whose rows were deleted with it); a result equal to the last one pushed is not
 * sent again. Statements run through the server's {@link LiveScheduler}. A statement that
 * fails pushes its error (typed, or masked as any other) and the live query goes on.
 */
import { getNamedType, isObjectType, Kind, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import type { TableName } from '../db/tables.js';
import type { RequestContext } from '../graphql/context.js';
import type { ChangeEvent } from '../graphql/events.js';
import { compileRootField, metadataOf, runRootField, type RootFieldInfo } from '../graphql/execute.js';
import { rootFieldTable, TABLE_NAMES, type Metadata } from '../graphql/metadata.js';
import { LiveRunSkipped, type LiveScheduler } from './scheduler.js';

const tableNames = new Set<string>(TABLE_NAMES);

/** The table a GraphQL object type reads: `flow_run`, `flow_run_aggregate` and `..._aggregate_fields` alike. */
function tableOfType(typeName: string): TableName | undefined {
  const base = typeName.replace(/_aggregate(_fields)?$/, '');
  return tableNames.has(base) ? (base as TableName) : undefined;
}

/** Every table a root field's selection reads, relationships and fragments included. */
export function tablesRead(info: RootFieldInfo): ReadonlySet<TableName> {
  const tables = new Set<TableName>();
  const root = rootFieldTable(info.fieldName);
  if (root !== undefined) tables.add(root.table);
  const seenFragments = new Set<string>();
  const visit = (type: GraphQLObjectType, selectionSet: SelectionSetNode | undefined): void => {
    if (selectionSet === undefined) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = type.getFields()[selection.name.value];
        if (field === undefined) continue;
        const named = getNamedType(field.type);
        const table = tableOfType(named.name);
        if (table !== undefined) tables.add(table);
        if (isObjectType(named)) visit(named, selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(type, selection.selectionSet);
      } else if (!seenFragments.has(selection.name.value)) {
        seenFragments.add(selection.name.value);
        visit(type, info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  const field = info.parentType.getFields()[info.fieldName];
  const named = field === undefined ? undefined : getNamedType(field.type);
  for (const node of info.fieldNodes) if (isObjectType(named)) visit(named, node.selectionSet);
  return tables;
}

/**
 * The tables whose rows go when a row of `table` is deleted: its array relationships' tables,
 * and theirs (a flow run takes its task runs, states and logs with it).
 */
function deletedWith(metadata: Metadata, table: TableName): ReadonlySet<TableName> {
  const tables = new Set<TableName>();
  const pending = [table];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const relationship of metadata.get(next)?.relationships.values() ?? []) {
      if (relationship.kind !== 'array' || tables.has(relationship.target) || relationship.target === table) continue;
      tables.add(relationship.target);
      pending.push(relationship.target);
    }
  }
  return tables;
}

/** Whether an announced change can alter what this subscription reads. */
function concerns(event: ChangeEvent, ctx: RequestContext, tables: ReadonlySet<TableName>, flowRunId: string | undefined, metadata: Metadata): boolean {
  if (event.tenantId !== ctx.tenantId) return false;
  const touched = tables.has(event.table) || (event.operation === 'delete' && [...deletedWith(metadata, event.table)].some((table) => tables.has(table)));
  if (!touched) return false;
  // A watcher of one flow run skips the changes of every other run.
  return flowRunId === undefined || event.flowRunId === undefined || event.flowRunId.toLowerCase() === flowRunId;
}

/**
 * The stream of one live query: the first result at once, then one result per relevant change
 * (changes announced while it runs fold into one more run). `return()` stops it at any point,
 * waiting or not, and drops its listener.
 */
class LiveQuery implements AsyncIterableIterator<Record<string, unknown>> {
  readonly #ctx: RequestContext;
  readonly #info: RootFieldInfo;
  readonly #scheduler: LiveScheduler;
  readonly #unsubscribe: () => void;
  #dirty = true;
  #closed = false;
  #wake: (() => void) | null = null;
  #last: string | undefined;

  constructor(ctx: RequestContext, info: RootFieldInfo, flowRunId: string | undefined, scheduler: LiveScheduler) {
    this.#ctx = ctx;
    this.#info = info;
    this.#scheduler = scheduler;
    const tables = tablesRead(info);
    const metadata = metadataOf(info.schema);
    this.#unsubscribe = ctx.events.subscribe((event) => {
      if (!concerns(event, ctx, tables, flowRunId, metadata)) return;
      this.#dirty = true;
      this.#wake?.();
    });
  }

  /** The field's JSON now, or the error that kept it from being read. */
  async #read(): Promise<unknown> {
    try {
      const statement = compileRootField(this.#ctx, this.#info);
      const key = `${statement.sql}\u0000${JSON.stringify(statement.parameters)}`;
      return await this.#scheduler.run(
        key,
        () => runRootField(this.#ctx, statement),
        () => !this.#isClosed(),
      );
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  async next(): Promise<IteratorResult<Record<string, unknown>>> {
    for (;;) {
      if (this.#closed) return { done: true, value: undefined };
      if (!this.#dirty) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        this.#wake = null;
        continue;
      }
      this.#dirty = false;
      const data = await this.#read();
      // return() may have come while the statement ran.
      if (this.#isClosed() || data instanceof LiveRunSkipped) continue;
      if (data instanceof Error) {
        // Pushed as the field's error (the resolver returns it); the next change tries again.
        this.#last = undefined;
        return { done: false, value: { [this.#info.fieldName]: data } };
      }
      const text = JSON.stringify(data);
      if (text === this.#last) continue;
      this.#last = text;
      return { done: false, value: { [this.#info.fieldName]: data } };
    }
  }

  #isClosed(): boolean {
    return this.#closed;
  }

  return(): Promise<IteratorResult<Record<string, unknown>>> {
    if (!this.#closed) {
      this.#closed = true;
      this.#unsubscribe();
      this.#wake?.();
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  async throw(error: unknown): Promise<IteratorResult<Record<string, unknown>>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

type Resolver = GraphQLFieldResolver<unknown, RequestContext>;

/** The payload of a push is the root value: the field reads its own key from it (an error is reported as the field's). */
const fromPayload: Resolver = (payload, _args, _ctx, info) =>
  typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[info.fieldName] : null;

/** Gives every table field of the contract's `subscription` root its live query, run through `scheduler`. */
export function installLiveQueries(schema: GraphQLSchema, scheduler: LiveScheduler): void {
  const subscription = schema.getSubscriptionType();
  if (!subscription) return;
  const subscribeLive: Resolver = (_source, args: Record<string, unknown>, ctx, info) => {
    const id = args['id'];
    const flowRunId = info.fieldName === 'flow_run_by_pk' && typeof id === 'string' ? id.toLowerCase() : undefined;
    return new LiveQuery(ctx, info, flowRunId, scheduler);
  };
  for (const field of Object.values(subscription.getFields())) {
    if (rootFieldTable(field.name) === undefined) continue;
    field.subscribe = subscribeLive;
    field.resolve = fromPayload;
  }
}
