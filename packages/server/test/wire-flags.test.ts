// The serve command line of runview-server and runview serve: the HTTP limits (each flag's
// default, its value, a clear usage error), the address, the database, the keys and --simulate.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIMULATE_EVERY_SECONDS, describeUsageError, readServeConfig, ServeUsageError, serveUsage, type ServeConfig } from '../src/config.js';
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
    const options = serve([
      '--cors-origin',
      'https://ui.example.com',
      '--cors-origin',
      'loopback,http://ci:8080',
      '--max-batch',
      '25',
      '--max-connections',
      '20000',
      '--headers-timeout',
      '5',
      '--request-timeout',
      '30',
    ]);
    expect(options).toMatchObject({
      corsOrigins: ['https://ui.example.com', 'loopback,http://ci:8080'],
      maxBatch: 25,
      maxConnections: 20_000,
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 30_000,
    });
  });

  it('takes the CORS list from RUNVIEW_CORS_ORIGIN, the flag winning', () => {
    expect(serve([], { RUNVIEW_CORS_ORIGIN: '*' }).corsOrigins).toEqual(['*']);
    expect(serve(['--cors-origin', 'loopback'], { RUNVIEW_CORS_ORIGIN: '*' }).corsOrigins).toEqual(['loopback']);
  });

  it('refuses values that are not positive whole numbers, naming the flag', () => {
    for (const [flag, value] of [
      ['--max-batch', '0'],
      ['--max-connections', 'many'],
      ['--headers-timeout', '1.5'],
      ['--request-timeout', '100000'],
    ] as const) {
      expect(() => readServeConfig([flag, value], {}), `${flag} ${value}`).toThrow(ServeUsageError);
      expect(() => readServeConfig([flag, value], {})).toThrow(flag);
    }
  });
});

describe('the serve configuration that runview-server and runview serve share', () => {
  function config(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ServeConfig {
    const read = readServeConfig(argv, env);
    if (read.kind !== 'serve') throw new Error(`expected serve, got ${read.kind}`);
    return read;
  }

  function usageError(argv: readonly string[]): string {
    try {
      readServeConfig(argv, {});
    } catch (error) {
      if (error instanceof ServeUsageError) return describeUsageError(error, 'runview-server');
      throw error;
    }
    throw new Error(`accepted: ${argv.join(' ')}`);
  }

  it('listens on 127.0.0.1:4200 unless -p/--port and --host say otherwise', () => {
    expect(config([])).toMatchObject({ port: 4200, host: '127.0.0.1' });
    expect(config(['-p', '0', '--host', '0.0.0.0'])).toMatchObject({ port: 0, host: '0.0.0.0' });
    expect(config(['--port', '8080']).port).toBe(8080);
  });

  it('opens --database, else $DATABASE_URL, else an in-memory one', () => {
    expect(config([]).options.database).toBe('memory');
    expect(config([], { DATABASE_URL: 'postgres://u@h/db' }).options.database).toBe('postgres://u@h/db');
    expect(config(['--database', './data'], { DATABASE_URL: 'postgres://u@h/db' }).options.database).toBe('./data');
    expect(config([], { DATABASE_URL: '  ' }).options.database).toBe('memory');
  });

  it('requires every --api-key, then those of $RUNVIEW_API_KEYS', () => {
    expect(config(['--api-key', 'a', '--api-key', ' b:read '], { RUNVIEW_API_KEYS: 'c, ,d' }).options.apiKeys).toEqual(['a', 'b:read', 'c', 'd']);
  });

  it('simulates runs with --simulate: alone 20 s apart, or the seconds given; --simulate-runs bounds them; the simulator takes the first key that may write', () => {
    expect(config(['--seed', 'demo']).simulate).toBeNull();
    expect(config(['--seed', 'demo', '--simulate']).simulate).toEqual({ everySeconds: DEFAULT_SIMULATE_EVERY_SECONDS, runs: undefined, apiKey: undefined });
    expect(DEFAULT_SIMULATE_EVERY_SECONDS).toBe(20);
    expect(config(['--simulate', '--seed', 'demo']).simulate?.everySeconds).toBe(20);
    expect(config(['--seed', 'demo', '--simulate', '0.5', '--simulate-runs', '3']).simulate).toEqual({ everySeconds: 0.5, runs: 3, apiKey: undefined });
    expect(config(['--seed', 'demo', '--simulate=7']).simulate?.everySeconds).toBe(7);
    const keyed = config(['--seed', 'demo', '--simulate', '--api-key', 'reader:read'], { RUNVIEW_API_KEYS: 'writer:00000000-0000-4000-8000-000000000000' });
    expect(keyed.simulate?.apiKey).toBe('writer');
  });

  it('words each mistake once, for both programs: the flag, the value, and where the flags are listed', () => {
    expect(usageError(['--seed', 'nope'])).toBe('--seed takes "demo", got "nope" (runview-server --help lists the flags)');
    expect(usageError(['--simulate'])).toBe('--simulate runs the demo flow: add --seed demo (runview-server --help lists the flags)');
    expect(usageError(['--seed', 'demo', '--simulate', '-1'])).toMatch(/^Unknown option '-1'/);
    expect(usageError(['--seed', 'demo', '--simulate', 'often'])).toBe(
      '--simulate takes a number of seconds between runs, got "often" (runview-server --help lists the flags)',
    );
    expect(usageError(['--seed', 'demo', '--simulate-runs', '2'])).toBe(
      '--simulate-runs counts the runs of --simulate: add --simulate (runview-server --help lists the flags)',
    );
    expect(usageError(['--seed', 'demo', '--simulate', '--simulate-runs', '0'])).toBe(
      '--simulate-runs must be a positive integer, got "0" (runview-server --help lists the flags)',
    );
    expect(usageError(['serve'])).toMatch(/^Unexpected argument 'serve'/);
  });

  it('accepts every flag its usage lists, and names the program it is given', () => {
    const usage = serveUsage('runview serve');
    expect(usage).toMatch(/^Usage: runview serve \[options\]\n/);
    expect(usage).toContain('  runview serve --seed demo --simulate 30\n');
    expect(serveUsage('runview-server', ['runview-server simulate [options]'])).toMatch(
      /^Usage: runview-server \[options\]\n {7}runview-server simulate \[options\]\n/,
    );
    const flags = [...new Set([...usage.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((match) => match[1] ?? ''))];
    expect(flags.length).toBeGreaterThan(25);
    for (const flag of flags) {
      const value = flag === '--seed' ? 'demo' : '1';
      try {
        readServeConfig(flag === '--help' || flag === '--version' ? [flag] : ['--seed', 'demo', flag, value], {});
      } catch (error) {
        expect(String(error), flag).not.toMatch(/Unknown option/);
      }
    }
  });
});
