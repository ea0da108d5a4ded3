/**
 * Where the client connects and with which credentials: explicit options first, then the
 * environment (runview's own variables, then Prefect 1's settings), then a local Prefect
 * Server. The environment is read through `globalThis.process` so the package runs unchanged
 * in browsers, where there is none.
 */
import { InvalidArgumentError } from '../errors.js';

/** Prefect Server's default endpoint, where `prefect server start` listens. */
export const DEFAULT_API_URL = 'http://127.0.0.1:4200/graphql';

/** Prefect Cloud 1.0's API, used when `PREFECT__BACKEND=cloud`. */
export const PREFECT_CLOUD_API_URL = 'https://api.prefect.io';

/** The connection settings a client ends up with. */
export interface ConnectionSettings {
  readonly url: string;
  readonly apiKey: string | null;
  readonly tenantId: string | null;
  /** Where the URL came from, for messages: `option`, an environment variable, or `default`. */
  readonly urlSource: string;
}

/** The environment variables the client reads (a subset of `process.env`). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** `process.env` where there is one (Node, Deno, Bun), an empty object in a browser. */
export function currentEnvironment(): Environment {
  const scope = globalThis as { process?: { env?: Environment } };
  return scope.process?.env ?? {};
}

function nonEmpty(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

/**
 * Resolves the endpoint and credentials.
 *
 * With an explicit `url`, only explicit options count: an API key from the environment is
 * never sent to a URL the environment did not name. Without one: `RUNVIEW_API_URL`, then
 * Prefect 1's `PREFECT__CLOUD__API`, then `PREFECT__BACKEND` (`cloud` → Prefect Cloud,
 * otherwise `PREFECT__SERVER__ENDPOINT`), then {@link DEFAULT_API_URL}; the key from
 * `RUNVIEW_API_KEY` then `PREFECT__CLOUD__API_KEY`, the tenant from `RUNVIEW_TENANT_ID` then
 * `PREFECT__CLOUD__TENANT_ID`.
 */
export function resolveConnection(
  options: { url?: string | undefined; apiKey?: string | undefined; tenantId?: string | undefined },
  env: Environment = currentEnvironment(),
): ConnectionSettings {
  const explicitUrl = nonEmpty(options.url);
  let url: string;
  let urlSource: string;
  let apiKey = nonEmpty(options.apiKey);
  let tenantId = nonEmpty(options.tenantId);
  if (explicitUrl) {
    url = explicitUrl;
    urlSource = 'option';
  } else {
    const candidates: [string, string | null][] = [
      ['RUNVIEW_API_URL', nonEmpty(env['RUNVIEW_API_URL'])],
      ['PREFECT__CLOUD__API', nonEmpty(env['PREFECT__CLOUD__API'])],
      ['PREFECT__BACKEND', nonEmpty(env['PREFECT__BACKEND'])?.toLowerCase() === 'cloud' ? PREFECT_CLOUD_API_URL : null],
      ['PREFECT__SERVER__ENDPOINT', nonEmpty(env['PREFECT__SERVER__ENDPOINT'])],
    ];
    const found = candidates.find(([, value]) => value !== null);
    url = found?.[1] ?? DEFAULT_API_URL;
    urlSource = found?.[0] ?? 'default';
    apiKey ??= nonEmpty(env['RUNVIEW_API_KEY']) ?? nonEmpty(env['PREFECT__CLOUD__API_KEY']);
    tenantId ??= nonEmpty(env['RUNVIEW_TENANT_ID']) ?? nonEmpty(env['PREFECT__CLOUD__TENANT_ID']);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new InvalidArgumentError('url', `The API URL from ${urlSource} is not a URL: ${JSON.stringify(url)}`, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidArgumentError('url', `The API URL from ${urlSource} must be http(s): ${JSON.stringify(url)}`);
  }
  return Object.freeze({ url, apiKey, tenantId, urlSource });
}
