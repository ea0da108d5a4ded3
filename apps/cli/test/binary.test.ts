// The built binary, as a user runs it: what is about the process itself (the launcher npm
// links, exit statuses, a stdout closed by `head`, a real terminal, signals). Everything else
// runs `main()` in process in the other files.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, childEnv, completion, runCli } from './support/cli.js';
import { serveDemoUntilSigterm } from './support/serve-binary.js';
import { COSMIC_NARWHAL_ID, demoDataCopy, SEED_FLOW_RUN_ID, sharedDemoServer } from './support/server.js';

const api = sharedDemoServer();

const quote = (part: string): string => `'${part}'`;

/** `runview ARGS | head -N` under `set -o pipefail`: the pipeline's code is runview's unless it is 0. */
function pipedIntoHead(args: readonly string[], lines: number) {
  const command = `set -o pipefail; ${[process.execPath, BIN, ...args].map(quote).join(' ')} | head -${String(lines)}`;
  return completion(spawn('bash', ['-c', command], { env: childEnv({ RUNVIEW_API_URL: api.url }), stdio: ['ignore', 'pipe', 'pipe'] }));
}

const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

describe('the runview command', () => {
  it('the launcher runs the built CLI: version and help exit 0, no command is a usage error (2)', async () => {
    const version = await runCli(['--version'], { launcher: true });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help'], { launcher: true });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: runview /);
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/Usage: runview/);
  });

  it('exits with the code of the error: 3 for an unknown run, with one line on stderr', async () => {
    const result = await runCli(['inspect', '00000000-0000-4000-8000-000000000000', '--endpoint', api.url]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('error: No flow run found where flowRunId = "00000000-0000-4000-8000-000000000000".\n');
  });
});

describe('piped into head', () => {
  it("ends quietly on EPIPE with the run's code: watch 0 for a success, 1 for a failure; logs and help 0", async () => {
    const [success, failure, logs, help] = await Promise.all([
      pipedIntoHead(['watch', SEED_FLOW_RUN_ID], 2),
      pipedIntoHead(['watch', COSMIC_NARWHAL_ID], 2),
      pipedIntoHead(['logs', COSMIC_NARWHAL_ID], 1),
      pipedIntoHead(['--help'], 1),
    ]);
    expect(success.stderr).toBe('');
    expect(success.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(success.code).toBe(0);
    expect(failure.stderr).toBe('');
    expect(failure.code).toBe(1);
    expect(logs.stderr).toBe('');
    expect(logs.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
  });
});

describe('colours', () => {
  it('none when stdout is a pipe', async () => {
    const result = await runCli(['inspect', SEED_FLOW_RUN_ID, '--endpoint', api.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Success: All reference tasks succeeded.');
    expect(result.stdout).not.toContain('\x1b[');
  });

  // A pseudo-terminal (util-linux `script`) makes the binary's stdout a TTY.
  it.skipIf(!hasScript)("Prefect's state colours on a terminal, without FORCE_COLOR", async () => {
    const command = [process.execPath, BIN, 'inspect', SEED_FLOW_RUN_ID, '--endpoint', api.url].map(quote).join(' ');
    const result = await completion(spawn('script', ['-qec', command, '/dev/null'], { env: childEnv({ COLUMNS: '100' }), stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\x1b[38;2;40;167;69mSuccess\x1b[39m: All reference tasks succeeded.');
  });
});

// A Node start, the server's modules and a database open in a child: bounds for a busy machine.
const SERVE_TIMEOUT = 240_000;

describe('runview serve', () => {
  it(
    'prints its URL on the first line, serves the demo data, and stops on SIGTERM with 0',
    async () => {
      // A copy of the seeded data directory: --seed demo finds its data there and starts at once.
      const data = demoDataCopy();
      try {
        const result = await serveDemoUntilSigterm(['--database', data.directory], SERVE_TIMEOUT);
        expect(result.signal).toBeNull();
        expect(result.code).toBe(0);
        // It said what it was doing while the database started, then that it was ready.
        expect(result.stderr.split('\n')[0]).toBe(
          `Starting the database (embedded, in ${data.directory}) and loading the demo data: this takes a few seconds...`,
        );
        expect(result.stderr).toMatch(/listening .*; demo data; open, no API keys\)\. Ready in \d+\.\ds\./);
      } finally {
        data.remove();
      }
    },
    SERVE_TIMEOUT + 30_000,
  );
});
