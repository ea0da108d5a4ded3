import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { SEED_FLOW_RUN_ID, SHARED_API_KEY, sharedDemoServer } from './support/server.js';

const api = sharedDemoServer('keyed');
let silent: Server;
let silentUrl: string;

beforeAll(async () => {
  // A server that accepts the request and never answers: the client's time budget must end it.
  silent = createHttpServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${String((silent.address() as AddressInfo).port)}/graphql`;
});

afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});

/** One line on stderr, nothing on stdout, no stack trace, the exit code of its kind. */
function expectOneLineError(result: { code: number; stdout: string; stderr: string }, pattern: RegExp, exitCode: number): void {
  expect(result.code).toBe(exitCode);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('errors a person can act on', () => {
  it('a malformed flow run id, before any request', async () => {
    const result = await runMain(['inspect', 'not-a-uuid', '--endpoint', 'http://127.0.0.1:9/graphql']);
    expectOneLineError(result, /^error: "not-a-uuid" is not a flow run id: expected a uuid like 4c0101af-/, 2);
  });

  it('an unknown flow run', async () => {
    const result = await runMain(['inspect', '00000000-0000-4000-8000-000000000000', '--endpoint', api.url, '--api-key', SHARED_API_KEY]);
    expectOneLineError(result, /^error: No flow run found where flowRunId = "00000000-0000-4000-8000-000000000000"\.$/, 3);
  });

  it('an unreachable endpoint names the URL and suggests runview serve', async () => {
    const closed = createHttpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${String((closed.address() as AddressInfo).port)}/graphql`;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runMain(['runs'], { env: { RUNVIEW_API_URL: url } });
    expectOneLineError(
      result,
      new RegExp(`^error: Could not reach the API at ${url.replace(/[.]/g, '\\.')} \\(connection refused\\)\\. .*\`runview serve\``),
      4,
    );
  });

  it('a wrong API key', async () => {
    const result = await runMain(['runs', '--endpoint', api.url, '--api-key', 'wrong-key']);
    expectOneLineError(result, new RegExp(`^error: The API at ${api.url.replace(/[.]/g, '\\.')} refused the credentials.*Check --api-key`), 4);
    // The environment's key goes only to the environment's endpoint, and the message says so.
    const right = await runMain(['runs'], { env: { RUNVIEW_API_URL: api.url, RUNVIEW_API_KEY: SHARED_API_KEY } });
    expect(right.code).toBe(0);
    const unsent = await runMain(['runs', '--endpoint', api.url], { env: { RUNVIEW_API_KEY: SHARED_API_KEY } });
    expectOneLineError(
      unsent,
      /refused the credentials.*RUNVIEW_API_KEY is set, but it is sent only to the endpoint the environment names, not to --endpoint: add --api-key\.$/,
      4,
    );
  });

  it('a timeout', async () => {
    // The server never answers: the budget, however short, is what ends the request.
    const result = await runMain(['inspect', SEED_FLOW_RUN_ID, '--endpoint', silentUrl, '--request-timeout', '300ms']);
    expectOneLineError(result, new RegExp(`^error: The API at ${silentUrl.replace(/[.]/g, '\\.')} did not answer within 300ms`), 4);
  });

  it('a time budget that is not a duration, before any request', async () => {
    const result = await runMain(['inspect', SEED_FLOW_RUN_ID, '--endpoint', 'http://127.0.0.1:9/graphql', '--request-timeout', 'soon']);
    expectOneLineError(result, /^error: --request-timeout must be a duration such as 30s, 5m, 1h30m or a number of seconds, got "soon"$/, 2);
  });

  it('the stack trace only with --debug', async () => {
    const result = await runMain(['inspect', '00000000-0000-4000-8000-000000000000', '--endpoint', api.url, '--api-key', SHARED_API_KEY, '--debug']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: No flow run found/);
    expect(result.stderr).toMatch(/NotFoundError: No flow run found[^\n]*\n\s+at /);
  });

  it('an unknown option, with a suggestion', async () => {
    const result = await runMain(['inspect', SEED_FLOW_RUN_ID, '--expnad']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: unknown option '--expnad'\n\(Did you mean --expand\?\)/);
  });
});

describe('help and version', () => {
  it('has help for every command and a version', async () => {
    const version = await runMain(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runMain(['--help']);
    for (const command of ['inspect', 'logs', 'watch', 'runs', 'tasks', 'flow', 'serve', 'schema'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const watchHelp = await runMain(['watch', '--help']);
    expect(watchHelp.code).toBe(0);
    expect(watchHelp.stdout).toMatch(/Exit code 0 when the run ends successful, 1 when it ends failed or cancelled, 5 on --timeout/);
    // The exit codes are in the main help; the global options only there, not under each command.
    expect(help.stdout).toMatch(
      /^Exit codes:\n {2}0 {4}success[^\n]*\n {2}1 {4}watch: the flow run ended failed or cancelled[^\n]*\n {2}2 {4}usage error[^\n]*\n {2}3 {4}not found[^\n]*\n {2}4 {4}API or authentication error[^\n]*\n {2}5 {4}watch --timeout/m,
    );
    expect(help.stdout).toMatch(/--endpoint <url>/);
    for (const command of ['watch', 'logs']) {
      const commandHelp = await runMain([command, '--help']);
      expect(commandHelp.stdout).not.toMatch(/--endpoint <url>|Global Options/);
      expect(commandHelp.stdout).toContain('Global options (--endpoint, --api-key, --json, --utc, ...): see runview --help.');
    }
    // serve lists runview-server's flags (serve.test.ts), and which of runview's own apply.
    const serveHelp = await runMain(['serve', '--help']);
    expect(serveHelp.stdout).not.toMatch(/--endpoint <url>|Global Options/);
    expect(serveHelp.stdout).toContain("runview's global options (--json, --debug, --no-color) go before or after serve.");
  });

  it('runview with no command shows the help and exits 2, a usage error', async () => {
    const result = await runMain([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: runview/);
  });
});
