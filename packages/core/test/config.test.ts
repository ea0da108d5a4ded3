// Where the client connects: explicit options, then runview's and Prefect 1's environment
// variables in order, then a local Prefect Server; and the retry policy's inputs.
import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../src/client/config.js';
import { backoffDelay, parseRetryAfter, resolveRetryPolicy } from '../src/client/retry.js';
import { createClient, InvalidArgumentError } from '../src/index.js';

describe('resolveConnection', () => {
  it('defaults to a local Prefect Server', () => {
    expect(resolveConnection({}, {})).toEqual({ url: 'http://127.0.0.1:4200/graphql', apiKey: null, tenantId: null, urlSource: 'default' });
  });

  it('reads the environment in order: runview, PREFECT__CLOUD__API, PREFECT__BACKEND, PREFECT__SERVER__ENDPOINT', () => {
    const all = {
      RUNVIEW_API_URL: 'http://runview.example/graphql',
      PREFECT__CLOUD__API: 'https://cloud.example',
      PREFECT__BACKEND: 'cloud',
      PREFECT__SERVER__ENDPOINT: 'http://server.example:4200/graphql',
    };
    expect(resolveConnection({}, all).url).toBe('http://runview.example/graphql');
    const { RUNVIEW_API_URL: _r, ...prefect } = all;
    expect(resolveConnection({}, prefect).url).toBe('https://cloud.example');
    const { PREFECT__CLOUD__API: _c, ...backend } = prefect;
    expect(resolveConnection({}, backend)).toMatchObject({ url: 'https://api.prefect.io', urlSource: 'PREFECT__BACKEND' });
    expect(resolveConnection({}, { ...backend, PREFECT__BACKEND: 'server' }).url).toBe('http://server.example:4200/graphql');
  });

  it('takes the key and tenant from runview first, then Prefect', () => {
    expect(resolveConnection({}, { PREFECT__CLOUD__API_KEY: 'pk', RUNVIEW_TENANT_ID: 't1', PREFECT__CLOUD__TENANT_ID: 't2' })).toMatchObject({
      apiKey: 'pk',
      tenantId: 't1',
    });
    expect(resolveConnection({}, { RUNVIEW_API_KEY: 'rk', PREFECT__CLOUD__API_KEY: 'pk' }).apiKey).toBe('rk');
  });

  it('never sends an API key from the environment to an explicitly given URL', () => {
    expect(resolveConnection({ url: 'http://other.example/graphql' }, { RUNVIEW_API_KEY: 'rk' })).toMatchObject({ apiKey: null, urlSource: 'option' });
    expect(resolveConnection({ url: 'http://other.example/graphql', apiKey: 'mine' }, { RUNVIEW_API_KEY: 'rk' }).apiKey).toBe('mine');
  });

  it('rejects a URL that is not http(s), naming where it came from', () => {
    expect(() => resolveConnection({}, { RUNVIEW_API_URL: 'not a url' })).toThrow(/RUNVIEW_API_URL/);
    expect(() => createClient({ url: 'ftp://example.com' })).toThrow(InvalidArgumentError);
  });
});

describe('retry policy', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2021-05-12T18:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 12 May 2021 18:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 12 May 2021 17:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('backs off exponentially up to the cap, with jitter between half and all of it', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, jitter: false });
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(policy, retry))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const jittered = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect(backoffDelay(jittered, 2, () => 0)).toBe(200);
    expect(backoffDelay(jittered, 2, () => 1)).toBe(400);
  });

  it('can be turned off, and rejects nonsense', () => {
    expect(resolveRetryPolicy(false).maxRetries).toBe(0);
    expect(() => resolveRetryPolicy({ maxRetries: -1 })).toThrow(InvalidArgumentError);
    expect(() => createClient({ timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
