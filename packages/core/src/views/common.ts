/** What every view shares: where it gets its client, the per-call options, repr helpers. */
import type { CallOptions, RunviewClient } from '../client/client.js';
import { getDefaultClient } from '../client/default.js';

/** Options of every lookup: the client to use (default: the shared one from the environment) and the call options. */
export interface ViewOptions extends CallOptions {
  /** The client to use; default: {@link getDefaultClient}. */
  readonly client?: RunviewClient | undefined;
}

/** The client of a lookup. */
export function clientOf(options: ViewOptions): RunviewClient {
  return options.client ?? getDefaultClient();
}

/** Only the per-call options (signal, timeout), to pass on to a query. */
export function callOf(options: CallOptions): CallOptions {
  return { signal: options.signal, timeoutMs: options.timeoutMs };
}

/** Node's `util.inspect` hook, by its registered symbol (no `node:util` import). */
export const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/** `'text'` or `None`, as Python's repr writes a value in a view's repr. */
export function reprValue(value: string | null): string {
  return value === null ? 'None' : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
