/**
 * The command-line flags of the server's limits: what an operation may ask for (the cost
 * model), how long a PostgreSQL statement may run and a request may wait for a connection,
 * and how many subscriptions may be open. Each flag sets one option of `createServer`.
 */
import { DEFAULT_POOL_TIMEOUTS } from './db/postgres-pool.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './graphql/limits.js';
import type { ServerOptions } from './http/server.js';
import { DEFAULT_SUBSCRIPTION_LIMITS } from './live/websocket.js';

type LimitName = keyof QueryLimits;

/** Each cost limit's flag. */
const QUERY_LIMIT_FLAGS: Readonly<Record<LimitName, string>> = {
  maxDepth: 'max-depth',
  maxFields: 'max-fields',
  maxAliases: 'max-aliases',
  maxRows: 'max-rows',
  maxFilterDepth: 'max-filter-depth',
  maxFilterJoins: 'max-filter-joins',
  maxFilterRevisits: 'max-filter-revisits',
  maxFilterSize: 'max-filter-size',
  maxInputDepth: 'max-input-depth',
};

const ALL_FLAGS = [...Object.values(QUERY_LIMIT_FLAGS), 'statement-timeout', 'pool-timeout', 'max-subscriptions', 'max-subscriptions-per-key'] as const;

/** The flags for `parseArgs`. */
export const LIMIT_FLAG_OPTIONS: Readonly<Record<string, { readonly type: 'string' }>> = Object.fromEntries(
  ALL_FLAGS.map((flag) => [flag, { type: 'string' }]),
);

const q = DEFAULT_QUERY_LIMITS;

/** Their lines of the usage text. */
export const LIMIT_USAGE = `Limits (each operation is measured before it runs; see the README):
  --max-depth <n>        selection depth, Prefect Server's rule (default ${String(q.maxDepth)})
  --max-fields <n>       fields selected, fragments counted where spread (default ${String(q.maxFields)})
  --max-aliases <n>      aliased fields (default ${String(q.maxAliases)})
  --max-rows <n>         rows one answer may hold; past it the database stops
                         the statement (default ${String(q.maxRows)})
  --max-filter-depth <n> nesting of one where/order_by (default ${String(q.maxFilterDepth)})
  --max-filter-joins <n> relationships on one path of a filter (default ${String(q.maxFilterJoins)})
  --max-filter-revisits <n>
                         array relationships entered after an object one in a
                         filter, e.g. task_runs: {flow_run: {task_runs: ...}} (default ${String(q.maxFilterRevisits)})
  --max-filter-size <n>  conditions in all filters of an operation (default ${String(q.maxFilterSize)})
  --max-input-depth <n>  nesting of a variable or argument value (default ${String(q.maxInputDepth)})
  --statement-timeout <s>
                         PostgreSQL: seconds one statement may run; 0 for none
                         (default ${String(DEFAULT_POOL_TIMEOUTS.statementTimeoutMs / 1000)})
  --pool-timeout <s>     PostgreSQL: seconds a request waits for a free connection
                         before it fails with DATABASE_BUSY (default ${String(DEFAULT_POOL_TIMEOUTS.connectTimeoutMs / 1000)})
  --max-subscriptions <n>
                         subscriptions open on one WebSocket connection (default ${String(DEFAULT_SUBSCRIPTION_LIMITS.perConnection)})
  --max-subscriptions-per-key <n>
                         subscriptions open for one API key (default ${String(DEFAULT_SUBSCRIPTION_LIMITS.perKey)})
`;

/** A whole number 0 or more (a flag's value), or undefined when the flag is absent. */
function wholeNumber(flag: string, value: unknown, fail: (message: string) => never): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const parsed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(parsed)) fail(`--${flag} must be a whole number, got ${JSON.stringify(text)}`);
  return parsed;
}

/** Whole seconds (at most a day) as milliseconds. */
function secondsMs(flag: string, value: unknown, fail: (message: string) => never): number | undefined {
  const parsed = wholeNumber(flag, value, fail);
  if (parsed !== undefined && parsed > 86_400) fail(`--${flag} takes at most 86400 seconds, got ${String(parsed)}`);
  return parsed === undefined ? undefined : parsed * 1000;
}

/** Positive: a limit of 0 subscriptions would refuse every one. */
function positive(flag: string, value: unknown, fail: (message: string) => never): number | undefined {
  const parsed = wholeNumber(flag, value, fail);
  if (parsed === 0) fail(`--${flag} must be at least 1`);
  return parsed;
}

/** The server options the limit flags set (only those given). */
export function readLimitFlags(
  values: Readonly<Record<string, unknown>>,
  fail: (message: string) => never,
): Pick<ServerOptions, 'queryLimits' | 'databaseTimeouts' | 'subscriptionLimits'> {
  const queryLimits: Partial<Record<LimitName, number>> = {};
  for (const [name, flag] of Object.entries(QUERY_LIMIT_FLAGS) as [LimitName, string][]) {
    const value = name === 'maxFilterRevisits' ? wholeNumber(flag, values[flag], fail) : positive(flag, values[flag], fail);
    if (value !== undefined) queryLimits[name] = value;
  }
  const statementTimeoutMs = secondsMs('statement-timeout', values['statement-timeout'], fail);
  const connectTimeoutMs = secondsMs('pool-timeout', values['pool-timeout'], fail);
  const perConnection = positive('max-subscriptions', values['max-subscriptions'], fail);
  const perKey = positive('max-subscriptions-per-key', values['max-subscriptions-per-key'], fail);
  return {
    queryLimits,
    databaseTimeouts: { ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }), ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }) },
    subscriptionLimits: { ...(perConnection === undefined ? {} : { perConnection }), ...(perKey === undefined ? {} : { perKey }) },
  };
}
