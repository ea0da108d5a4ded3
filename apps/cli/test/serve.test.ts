import { describe, expect, it } from 'vitest';

// Each test starts a server process (an embedded database, migrated and seeded): on a busy
// machine that alone can take minutes, so these get more room than the default.
const SERVER_TEST_TIMEOUT = 360_000;
const STARTUP_TIMEOUT = 300_000;
import { completion, runCli, spawnCli, waitForLine } from './support/cli.js';

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
    expect(result.stderr).toMatch(/listening .*demo data/);
  }, SERVER_TEST_TIMEOUT);

  it('requires the key given with --api-key', async () => {
    const child = spawnCli(['serve', '--port', '0', '--api-key', 'serve-test-key']);
    const done = completion(child, SERVER_TEST_TIMEOUT);
    const url = await waitForLine(child, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/, STARTUP_TIMEOUT);
    try {
      const refused = await runCli(['runs', '--endpoint', url]);
      expect(refused.code).toBe(1);
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
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('error: --seed only knows "demo", got "nope"');
  });
});
