// The command line of the HTTP limits: each flag's default, its value, and a clear usage error.
import { describe, expect, it } from 'vitest';
import { readServeConfig, UsageError, type ServeConfig } from '../src/config.js';
import { DEFAULT_CORS_ORIGINS, DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_BATCH, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from '../src/index.js';

function serve(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ServeConfig['options'] {
  const config = readServeConfig(argv, env);
  if (config.kind !== 'serve') throw new Error(`expected serve, got ${config.kind}`);
  return config.options;
}

describe('the HTTP limits on the command line', () => {
  it('has a default for each', () => {
    expect(serve([])).toMatchObject({
      corsOrigins: DEFAULT_CORS_ORIGINS,
      maxBatch: DEFAULT_MAX_BATCH,
      maxConnections: DEFAULT_MAX_CONNECTIONS,
      headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    });
    expect(DEFAULT_CORS_ORIGINS).toEqual(['loopback']);
  });

  it('reads each flag', () => {
    const options = serve(['--cors-origin', 'https://ui.example.com', '--cors-origin', 'loopback,http://ci:8080', '--max-batch', '25', '--max-connections', '20000', '--headers-timeout', '5', '--request-timeout', '30']);
    expect(options).toMatchObject({ corsOrigins: ['https://ui.example.com', 'loopback,http://ci:8080'], maxBatch: 25, maxConnections: 20_000, headersTimeoutMs: 5_000, requestTimeoutMs: 30_000 });
  });

  it('takes the CORS list from RUNVIEW_CORS_ORIGIN, the flag winning', () => {
    expect(serve([], { RUNVIEW_CORS_ORIGIN: '*' }).corsOrigins).toEqual(['*']);
    expect(serve(['--cors-origin', 'loopback'], { RUNVIEW_CORS_ORIGIN: '*' }).corsOrigins).toEqual(['loopback']);
  });

  it('refuses values that are not positive whole numbers, naming the flag', () => {
    for (const [flag, value] of [['--max-batch', '0'], ['--max-connections', 'many'], ['--headers-timeout', '1.5'], ['--request-timeout', '100000']] as const) {
      expect(() => readServeConfig([flag, value], {}), `${flag} ${value}`).toThrow(UsageError);
      expect(() => readServeConfig([flag, value], {})).toThrow(flag);
    }
  });
});
