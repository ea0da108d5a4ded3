import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { sharedDemoServer } from './support/server.js';

const api = sharedDemoServer();
let dir: string;
let contract: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runview-cli-schema-'));
  contract = await readFile(new URL('../../../schema.graphql', import.meta.url), 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The contract with one field of `flow_run` removed, as an older or newer API might have it. */
function withoutFlowRunField(sdl: string, field: string): string {
  const start = sdl.indexOf('type flow_run {');
  const end = sdl.indexOf('\n}', start);
  const body = sdl.slice(start, end);
  const line = body.split('\n').find((candidate) => candidate.trim().startsWith(`${field}(`) || candidate.trim().startsWith(`${field}:`));
  if (line === undefined) throw new Error(`flow_run has no field ${field}`);
  return sdl.slice(0, start) + body.replace(`${line}\n`, '') + sdl.slice(end);
}

describe('runview schema check', () => {
  it('passes against the embedded server', async () => {
    const result = await runMain(['schema', 'check', '--endpoint', api.url]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/pass/);
    expect(result.stdout).toContain(api.url);
    expect(result.stdout).toMatch(/0 broken operations of \d+/);
    expect(result.code).toBe(0);
  });

  it('fails against a server whose schema drifted, naming the operation and the field', async () => {
    // A live endpoint that answers introspection with the contract minus flow_run.serialized_state.
    const introspection = JSON.stringify({ data: introspectionFromSchema(buildSchema(withoutFlowRunField(contract, 'serialized_state'))) });
    const drifted = createHttpServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(introspection);
      });
    });
    await new Promise<void>((resolve) => drifted.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${String((drifted.address() as AddressInfo).port)}/graphql`;
    try {
      const result = await runMain(['schema', 'check', '--endpoint', url]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(url);
      expect(result.stdout).toMatch(/FlowRunById\s+flow_run\.serialized_state/);
    } finally {
      drifted.closeAllConnections();
      await new Promise((resolve) => drifted.close(resolve));
    }
  });

  it('passes on the contract itself given as a file', async () => {
    const file = join(dir, 'same.graphql');
    await writeFile(file, contract);
    const result = await runMain(['schema', 'check', '--schema', file]);
    expect(result.code).toBe(0);
  });

  it('fails on a drifted schema, naming the operation and the field', async () => {
    const file = join(dir, 'drifted.graphql');
    await writeFile(file, withoutFlowRunField(contract, 'serialized_state'));
    const result = await runMain(['schema', 'check', '--schema', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/fail/);
    expect(result.stdout).toMatch(/FlowRunById\s+flow_run\.serialized_state/);
    expect(result.stdout).toMatch(/Cannot query field "serialized_state" on type "flow_run"/);
  });

  it('prints the report as JSON with --json', async () => {
    const file = join(dir, 'drifted-json.graphql');
    await writeFile(file, withoutFlowRunField(contract, 'serialized_state'));
    const result = await runMain(['schema', 'check', '--schema', file, '--json']);
    expect(result.code).toBe(1);
    const report = (JSON.parse(result.stdout) as { data: { ok: boolean; failOn: string; brokenOperations: { operation: string }[] } }).data;
    expect(report.ok).toBe(false);
    expect(report.failOn).toBe('breaking');
    expect(report.brokenOperations.map((broken) => broken.operation)).toContain('FlowRunById');
  });

  it('rejects an unknown --fail-on level with the choices', async () => {
    const result = await runMain(['schema', 'check', '--fail-on', 'some']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--fail-on.*some.*breaking, dangerous, any/s);
    expect(result.stdout).toBe('');
  });

  it('says which file it cannot read', async () => {
    const file = join(dir, 'missing.graphql');
    const result = await runMain(['schema', 'check', '--schema', file]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`error: Cannot read the schema file ${file}: no such file.`);
  });
});

describe('runview schema pull', () => {
  it('prints the live schema as SDL that checks clean', async () => {
    const result = await runMain(['schema', 'pull', '--endpoint', api.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^type flow_run \{$/m);
    const file = join(dir, 'pulled.graphql');
    await writeFile(file, result.stdout);
    const check = await runMain(['schema', 'check', '--schema', file]);
    expect(check.code).toBe(0);
  });
});
