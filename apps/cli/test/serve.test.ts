// `runview serve` in process, on copies of the seeded data directory (no migration, no seed per
// test). The binary's start and SIGTERM are in binary.test.ts; the in-memory start with the
// demo data and --simulate, which take their real time, in serve.e2e.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain, startMain } from './support/in-process.js';
import { demoDataCopy } from './support/server.js';

const URL_LINE = /^(http:\/\/127\.0\.0\.1:\d+\/graphql)$/m;

const copies: { remove(): void }[] = [];
afterEach(() => {
  for (const copy of copies.splice(0)) copy.remove();
});

/** A data directory of this test's own. */
function database(): string {
  const copy = demoDataCopy();
  copies.push(copy);
  return copy.directory;
}

describe('runview serve', () => {
  it('requires the key given with --api-key, and serves a built Prefect UI folder beside the API with --ui', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'runview-ui-'));
    writeFileSync(join(dist, 'index.html'), '<!DOCTYPE html><title>Prefect</title>\n');
    try {
      // One server for both: each start opens a database, the slow part.
      const serving = startMain(['serve', '--port', '0', '--database', database(), '--api-key', 'serve-test-key', '--ui', dist]);
      const UI_LINE = /The Prefect UI from .*: (http:\/\/127\.0\.0\.1:\d+)\/\n/;
      const origin = UI_LINE.exec(await serving.stderrMatching(UI_LINE))?.[1] ?? '';
      try {
        const url = URL_LINE.exec(await serving.stdoutMatching(URL_LINE))?.[1] ?? '';
        expect(url).toBe(`${origin}/graphql`);
        const refused = await runMain(['runs', '--endpoint', url]);
        expect(refused.code).toBe(4);
        expect(refused.stderr).toMatch(/refused the credentials/);
        const allowed = await runMain(['runs', '--endpoint', url, '--api-key', 'serve-test-key']);
        expect(allowed.stderr).toBe('');
        expect(allowed.code).toBe(0);
        // The UI's pages and its settings, with the API's URL in them.
        const page = await fetch(`${origin}/flow-run/4c0101af-c6bb-4b96-8661-63a5bbfb5596`);
        expect(await page.text()).toBe('<!DOCTYPE html><title>Prefect</title>\n');
        expect(await (await fetch(`${origin}/settings.json`)).json()).toEqual({ server_url: `${origin}/graphql`, base_url: '/' });
      } finally {
        serving.stop();
      }
      const result = await serving.result;
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/listening \(database .*, 1 API key\)/);

      const refused = await runMain(['serve', '--port', '0', '--ui', join(dist, 'index.html')]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('not a folder');
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('rejects an unknown seed, and --simulate without the demo data or --simulate-runs without --simulate', async () => {
    const unknown = await runMain(['serve', '--seed', 'nope', '--port', '0']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('error: --seed only knows "demo", got "nope"');
    const simulate = await runMain(['serve', '--simulate', '--port', '0']);
    expect(simulate.code).toBe(2);
    expect(simulate.stderr.trim()).toBe('error: --simulate runs the demo flow: add --seed demo.');
    const runs = await runMain(['serve', '--seed', 'demo', '--simulate-runs', '2', '--port', '0']);
    expect(runs.code).toBe(2);
    expect(runs.stderr.trim()).toBe('error: --simulate-runs counts the runs of --simulate: add --simulate.');
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
});
