// `runview serve` in process, on copies of the seeded data directory (no migration, no seed per
// test). The binary's start and SIGTERM are in binary.test.ts; the in-memory start with the
// demo data and --simulate, which take their real time, in serve.e2e.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeUsageError, readServeConfig, ServeUsageError } from '@runview/server';
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
  it("takes runview-server's flags and environment: every --api-key and $RUNVIEW_API_KEYS are required, $DATABASE_URL is the database, --ui serves a built Prefect UI folder beside the API", async () => {
    const dist = mkdtempSync(join(tmpdir(), 'runview-ui-'));
    writeFileSync(join(dist, 'index.html'), '<!DOCTYPE html><title>Prefect</title>\n');
    try {
      // One server for all: each start opens a database, the slow part. After `serve`,
      // `--request-timeout` is the server's (seconds), not runview's global one (a duration).
      const serving = startMain(
        ['--api-key', 'serve-test-key', 'serve', '--port', '0', '--api-key', 'second-key', '--request-timeout', '30', '--max-rows', '5000', '--ui', dist],
        {
          env: { DATABASE_URL: database(), RUNVIEW_API_KEYS: 'third-key:read' },
        },
      );
      const UI_LINE = /The Prefect UI from .*: (http:\/\/127\.0\.0\.1:\d+)\/\n/;
      const origin = UI_LINE.exec(await serving.stderrMatching(UI_LINE))?.[1] ?? '';
      try {
        const url = URL_LINE.exec(await serving.stdoutMatching(URL_LINE))?.[1] ?? '';
        expect(url).toBe(`${origin}/graphql`);
        const refused = await runMain(['runs', '--endpoint', url]);
        expect(refused.code).toBe(4);
        expect(refused.stderr).toMatch(/refused the credentials/);
        for (const key of ['serve-test-key', 'second-key', 'third-key']) {
          const allowed = await runMain(['runs', '--endpoint', url, '--api-key', key]);
          expect(allowed.stderr).toBe('');
          expect(allowed.code).toBe(0);
        }
        // The UI's pages and its settings, with the API's URL in them.
        const page = await fetch(`${origin}/flow-run/4c0101af-c6bb-4b96-8661-63a5bbfb5596`);
        expect(await page.text()).toBe('<!DOCTYPE html><title>Prefect</title>\n');
        expect(await (await fetch(`${origin}/settings.json`)).json()).toEqual({ server_url: `${origin}/graphql`, base_url: '/' });
      } finally {
        serving.stop();
      }
      const result = await serving.result;
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^Starting the database \(embedded, in \S+\): this takes a few seconds\.\.\.$/m);
      expect(result.stderr).toMatch(/listening \(database: embedded, in \S+; 3 API keys\)/);

      const refused = await runMain(['serve', '--port', '0', '--ui', join(dist, 'index.html')]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('not a folder');
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it("refuses what runview-server refuses, with the server's message, as a usage error (2), before anything starts", async () => {
    const mistakes = [
      ['--seed', 'nope'],
      ['--simulate'],
      ['--seed', 'demo', '--simulate', 'often'],
      ['--seed', 'demo', '--simulate-runs', '2'],
      ['--port', '70000'],
      ['--max-rows', '0'],
      ['--request-timeout', '10s'],
      ['--statement-timeout', '100000'],
      ['--endpoint', 'http://127.0.0.1:4200/graphql'],
      ['extra'],
    ];
    for (const argv of mistakes) {
      const expected = (() => {
        try {
          readServeConfig(argv, {});
        } catch (error) {
          if (error instanceof ServeUsageError) return describeUsageError(error, 'runview serve');
        }
        throw new Error(`runview-server accepts ${argv.join(' ')}`);
      })();
      const result = await runMain(['serve', ...argv]);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toBe(`error: ${expected}\n`);
      const json = await runMain(['serve', ...argv, '--json']);
      expect(JSON.parse(json.stderr)).toEqual({ version: 1, type: 'error', error: { code: 'USAGE', exitCode: 2, message: expected } });
    }
    expect((await runMain(['serve', '--seed', 'nope'])).stderr).toBe('error: --seed takes "demo", got "nope" (runview serve --help lists the flags)\n');
  });

  it("lists the same flags as runview-server in its --help, and says where runview's own options go", async () => {
    const help = await runMain(['serve', '--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--port',
      '--database',
      '--simulate',
      '--simulate-runs',
      '--api-key',
      '--max-limit',
      '--headers-timeout',
      '--request-timeout',
      '--max-rows',
      '--statement-timeout',
      '--max-subscriptions-per-key',
      '--ui',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`\\s${flag}\\s`));
    }
    expect(help.stdout).toMatch(/^Usage: runview serve \[options\]$/m);
    expect(help.stdout).toContain('$DATABASE_URL');
    expect(help.stdout).toContain("runview's global options (--json, --debug, --no-color) go before or after serve.");
    expect((await runMain(['help', 'serve'])).stdout).toBe(help.stdout);
  });

  it('checks the port before it starts the database', async () => {
    const taken = createNetServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await runMain(['serve', '--port', String(port), '--seed', 'demo']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `error: Cannot listen on 127.0.0.1:${String(port)}: the port is in use (another runview serve or Prefect Server?): pick another with --port, or --port 0 for any free one.\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
