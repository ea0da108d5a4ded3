/**
 * The request headers Prefect's clients send, read as Prefect Server reads them. The Prefect UI
 * sends `X-Prefect-Tenant-ID: null` (and `X-Prefect-User-ID: null`) until it knows a tenant,
 * JavaScript's `String(undefined)` gives `undefined`: those mean "not given", never an error.
 */

export const TENANT_HEADER = 'x-prefect-tenant-id';
/** Sent by an agent on every request after it registered (`get_runs_in_queue`, `set_flow_run_states`). */
export const AGENT_HEADER = 'x-prefect-agent-id';
/** Prefect Core's version, sent on every request; `register_agent` stores it. */
export const CORE_VERSION_HEADER = 'x-prefect-core-version';

const NOT_GIVEN = new Set(['', 'null', 'undefined']);

/** A header's trimmed value, or undefined when it is absent, empty, `null` or `undefined` (any case). */
export function optionalHeader(headers: Headers, name: string): string | undefined {
  const value = headers.get(name)?.trim();
  if (value === undefined || NOT_GIVEN.has(value.toLowerCase())) return undefined;
  return value;
}
