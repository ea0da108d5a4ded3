/**
 * Calling one cloud hook with one event, as Prefect Server does for the hook types that need
 * no outside account: `WEBHOOK` posts `{"event": ...}` with `X-PREFECT-EVENT-ID` (2 s to
 * answer), `SLACK_WEBHOOK` posts a Slack message of blocks (1 s), `PREFECT_MESSAGE` adds a
 * `CLOUD_HOOK` message to the tenant's notifications. Redirects are not followed and any HTTP
 * answer counts as delivered, as with Prefect Server's HTTP client. Hook URLs (a Slack webhook
 * URL is a secret) never appear in an error.
 */
import { jsonb, type JsonValue } from '../db/tables.js';
import type { Database } from '../db/database.js';
import type { ChangeEvents } from '../graphql/events.js';
import type { FlowRunStateChange } from './event.js';
import { stateName } from './event.js';

/** Prefect Server's time limits for an answer, in ms. */
const WEBHOOK_TIMEOUT_MS = 2000;
const SLACK_TIMEOUT_MS = 1000;

/**
 * Where a Slack message links a flow run (`<base>/<tenant slug>/flow-run/<id>`): Prefect
 * Server's default `api.url`, as its Slack messages link.
 */
const LINK_BASE = 'http://localhost:4200';

/** The hook types this server calls; Twilio and PagerDuty need accounts with those services. */
export const CALLED_HOOK_TYPES: readonly string[] = ['WEBHOOK', 'SLACK_WEBHOOK', 'PREFECT_MESSAGE'];

/** A hook as the deliverer needs it. */
export interface CloudHookTarget {
  readonly id: string;
  readonly tenantId: string;
  readonly type: string;
  readonly config: JsonValue;
}

export interface DeliveryContext {
  readonly db: Database;
  readonly events: ChangeEvents;
  /** Aborts an HTTP call in flight (the server is closing). */
  readonly signal?: AbortSignal;
}

/** What a delivery got back: the HTTP status of a posted hook. */
export interface Delivery {
  readonly status?: number;
}

/** A hook that could not be called; the message names the reason, never the hook's URL. */
export class CloudHookDeliveryError extends Error {
  override readonly name = 'CloudHookDeliveryError';
}

function configUrl(hook: CloudHookTarget): string {
  const url = typeof hook.config === 'object' && hook.config !== null && !Array.isArray(hook.config) ? hook.config['url'] : undefined;
  if (typeof url !== 'string') throw new CloudHookDeliveryError('the hook has no url');
  return url;
}

/** Why a fetch failed, in words that carry no part of the URL. */
function failureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : 'the server is closing';
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return code === undefined ? 'the request failed' : `the request failed (${code})`;
}

async function post(url: string, body: unknown, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal | undefined): Promise<Delivery> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
    });
  } catch (error) {
    throw new CloudHookDeliveryError(failureReason(error, timeoutMs));
  }
  // The answer's body is not read: releasing it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  return { status: response.status };
}

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

function section(markdown: string): JsonValue {
  return { type: 'section', text: { type: 'mrkdwn', text: markdown } };
}

/** The Slack message of Prefect Server: the run and flow, the state, its message, a link. */
export function slackMessage(event: FlowRunStateChange): JsonValue {
  const serialized = event.state['serialized_state'];
  const message = typeof serialized === 'object' && serialized !== null && !Array.isArray(serialized) ? serialized['message'] : undefined;
  const link = `${LINK_BASE}/${text(event.tenant['slug'])}/flow-run/${text(event.flow_run['id'])}`;
  return {
    blocks: [
      section(`Run \`${text(event.flow_run['name'])}\` of flow \`${text(event.flow['name'])}\` entered a new state:`),
      section(`*State:* \`${stateName(event)}\``),
      section(`*Message:* ${text(message)}`),
      section(`*Link:* ${link}`),
    ],
  };
}

/** A `CLOUD_HOOK` message with the event, in the hook's tenant. */
async function addMessage(hook: CloudHookTarget, event: FlowRunStateChange, context: DeliveryContext): Promise<Delivery> {
  const content = { event, type: 'CLOUD_HOOK' } as unknown as JsonValue;
  const row = await context.db.kysely
    .insertInto('message')
    .values({ tenant_id: hook.tenantId, type: 'CLOUD_HOOK', content: jsonb(content) })
    .returning('id')
    .executeTakeFirstOrThrow();
  context.events.emit({ table: 'message', tenantId: hook.tenantId, operation: 'insert', ids: [row.id] });
  return {};
}

/**
 * Calls `hook` with `event`.
 *
 * @throws {CloudHookDeliveryError} when the hook could not be called (its type is not one this
 * server calls, no answer in time, connection refused, ...).
 */
export async function deliverHook(hook: CloudHookTarget, event: FlowRunStateChange, context: DeliveryContext): Promise<Delivery> {
  switch (hook.type) {
    case 'WEBHOOK':
      return post(configUrl(hook), { event }, { 'X-PREFECT-EVENT-ID': event.id }, WEBHOOK_TIMEOUT_MS, context.signal);
    case 'SLACK_WEBHOOK':
      return post(configUrl(hook), slackMessage(event), {}, SLACK_TIMEOUT_MS, context.signal);
    case 'PREFECT_MESSAGE':
      return addMessage(hook, event, context);
    default:
      throw new CloudHookDeliveryError(`${hook.type} hooks are not called by this server`);
  }
}
