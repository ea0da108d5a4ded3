import { describe, expect, it } from 'vitest';

// Each test starts a server process (an embedded database, migrated and seeded): on a busy
// machine that alone can take minutes, so these get more room than the default.
const SERVER_TEST_TIMEOUT = 360_000;
const STARTUP_TIMEOUT = 300_000;
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { completion, runCli, spawnCli, waitForLine } from './support/cli.js';
import { runMain } from './support/in-process.js';

describe('runview serve', () => {
  it('prints its URL on the first line, serves the demo data, and stops on SIGTERM', async () => {
    const child = spawnCli(['serve', '--port', '0', '--seed', 'demo']);
    const done = completion(child, SERVER_TEST_TIMEOUT);
    const url = await waitForLine(child, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/, STARTUP_TIMEOUT);
    try {
      const runs = await runCli(['runs', '--name', 'woodoo-leopard', '--endpoint', url]);
      expect(runs.stderr).toBe('');
      expect(runs.code).toBe(0);
      expect(runs.stdout).toContain('woodoo-leopard');
    } finally {
      child.kill('SIGTERM');
    }
    const result = await done;
    expect(result.code).toBe(0);
    // It said what it was doing while the database started, then that it was ready.
    expect(result.stderr).toMatch(/^Starting the in-memory database and loading the demo data: this takes a few seconds\.\.\.\n/);
    expect(result.stderr).toMatch(/listening .*demo data\)\. Ready in \d+\.\ds\./);
  }, SERVER_TEST_TIMEOUT);

  it('requires the key given with --api-key', async () => {
    const child = spawnCli(['serve', '--port', '0', '--api-key', 'serve-test-key']);
    const done = completion(child, SERVER_TEST_TIMEOUT);
    const url = await waitForLine(child, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/, STARTUP_TIMEOUT);
    try {
      const refused = await runCli(['runs', '--endpoint', url]);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/refused the credentials/);
      const allowed = await runCli(['runs', '--endpoint', url, '--api-key', 'serve-test-key']);
      expect(allowed.stderr).toBe('');
      expect(allowed.code).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await done).code).toBe(0);
  }, SERVER_TEST_TIMEOUT);

  it('rejects an unknown seed', async () => {
    const result = await runCli(['serve', '--seed', 'nope', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('error: --seed only knows "demo", got "nope"');
  });

  it('checks the port before it starts the database', async () => {
    const taken = createNetServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await runMain(['serve', '--port', String(port), '--seed', 'demo']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`error: Cannot listen on 127.0.0.1:${String(port)}: the port is in use (another runview serve or Prefect Server?): pick another with --port, or --port 0 for any free one.\n`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('--ui serves a built Prefect UI folder beside the API, and refuses a folder without one', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'runview-ui-'));
    writeFileSync(join(dist, 'index.html'), '<!DOCTYPE html><title>Prefect</title>\n');
    try {
      const stop = new AbortController();
      let stderr = '';
      let ready: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (ready = resolve));
      const serving = runMain(['serve', '--port', '0', '--ui', dist], {
        signal: stop.signal,
        onStderr: (chunk) => {
          stderr += chunk;
          if (stderr.includes('The Prefect UI from')) ready();
        },
      });
      await started;
      const origin = /The Prefect UI from .*: (http:\/\/127\.0\.0\.1:\d+)\/\n/.exec(stderr)?.[1] ?? '';
      const page = await fetch(`${origin}/flow-run/4c0101af-c6bb-4b96-8661-63a5bbfb5596`);
      expect(await page.text()).toBe('<!DOCTYPE html><title>Prefect</title>\n');
      expect(await (await fetch(`${origin}/settings.json`)).json()).toEqual({ server_url: `${origin}/graphql`, base_url: '/' });
      stop.abort();
      expect((await serving).code).toBe(0);

      const refused = await runMain(['serve', '--port', '0', '--ui', join(dist, 'index.html')]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('not a folder');
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  }, SERVER_TEST_TIMEOUT);

  it('--simulate keeps one live run at a time, and --simulate-runs stops after N', async () => {
    const stop = new AbortController();
    let stderr = '';
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const serving = runMain(['serve', '--port', '0', '--seed', 'demo', '--simulate', '0.1', '--simulate-runs', '2'], {
      signal: stop.signal,
      onStderr: (chunk) => {
        stderr += chunk;
        if (stderr.includes('simulation: 2 runs done')) done();
      },
    });
    await finished;
    stop.abort();
    expect((await serving).code).toBe(0);
    const events = stderr.split('\n').filter((line) => line.startsWith('simulated flow run')).map((line) => (line.includes(' started: ') ? 'start' : 'end'));
    expect(events).toEqual(['start', 'end', 'start', 'end']);
  }, SERVER_TEST_TIMEOUT);
});
