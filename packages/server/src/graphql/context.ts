/**
 * The per-request context every resolver receives, and the contract of the write mutations.
 */
import type { Database } from '../db/database.js';
import type { ChangeEvents } from './events.js';

export interface RequestContext {
  readonly db: Database;
  /** The tenant of the caller's API key (or the default tenant): every row read or written is scoped to it. */
  readonly tenantId: string;
  /** False for read-only keys: mutations are refused with FORBIDDEN before they run. */
  readonly canWrite: boolean;
  /** The largest `limit` a root field accepts. */
  readonly maxLimit: number;
  /** The server's clock (tests may pin it). */
  now(): Date;
  /** Emit after a write commits: `events.emit({ table, tenantId, operation, flowRunId, ... })`. */
  readonly events: ChangeEvents;
  /** `X-PREFECT-AGENT-ID` of an HTTP request (an agent after it registered), if given. */
  readonly agentId?: string;
  /** `X-PREFECT-CORE-VERSION` of an HTTP request (Prefect Core's version), if given. */
  readonly coreVersion?: string;
  /**
   * Rows each table field of the operation may build, set by the cost check when the limits of
   * its lists multiply past the server's maximum: the database stops a field that builds more.
   */
  readonly rowBudget?: number;
  /** Aborted when the client goes away: the statements still running for it are cancelled. */
  readonly signal?: AbortSignal;
}

/**
 * One write mutation: receives the field's arguments (already coerced by GraphQL: `input` is a
 * plain object) and the context, returns the payload. Throw a `GraphQLError` (see `errors.ts`)
 * for an expected failure so its message reaches the caller.
 */
export type MutationResolver = (args: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>;

/** The write mutations by field name of `type Mutation`. */
export type MutationResolvers = Record<string, MutationResolver>;
