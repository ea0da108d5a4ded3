// createClient({ checkSchema }): one introspection per client before its first query, clean
// against the real server; against an API that dropped a field the shipped operations use, a
// SchemaDriftError naming it ('error') or a warning ('warn').
import { ApiInfoDocument } from '@runview/documents';
import { buildSchema, getIntrospectionQuery, graphqlSync } from 'graphql';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, FlowRunView, SchemaDriftError } from '../src/index.js';
import { startFaultyServer, type FaultyServer } from './support/faulty-server.js';
import { DEMO, sharedServer, type TestServer } from './support/server.js';

let demo: TestServer;
let drifted: FaultyServer | null = null;

beforeAll(async () => {
  demo = await sharedServer();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await drifted?.close();
  drifted = null;
});

/** The contract with flow_run.serialized_state removed, introspected as a server would answer. */
function driftedIntrospection(): unknown {
  const contract = readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8');
  const sdl = contract.replace(/(type flow_run \{[^}]*?)\n {2}serialized_state\(path: String\): jsonb/, '$1');
  expect(sdl).not.toBe(contract);
  return graphqlSync({ schema: buildSchema(sdl), source: getIntrospectionQuery() });
}

const API = { data: { api: { backend: 'SERVER', mode: 'normal', version: '2022.09.07', core_version: '1.4.1', release_timestamp: null } } };

describe('checkSchema', () => {
  it('introspects once against a server that serves the contract, and lets every call through', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = demo.client({ checkSchema: 'error' });
    const seen: (string | null)[] = [];
    client.onRequest((event) => seen.push(event.operationName));
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client });
    await view.getFlowMetadata();
    expect(seen).toEqual(['IntrospectionQuery', 'FlowRunById', 'FlowById']);
    expect(warn).not.toHaveBeenCalled();
  });

  it("fails the first call with a SchemaDriftError naming the field and the operations in 'error' mode", async () => {
    drifted = await startFaultyServer({ status: 200, body: API });
    drifted.script({ status: 200, body: driftedIntrospection() });
    const client = createClient({ url: drifted.url, checkSchema: 'error', retry: false });
    const error = await client.query(ApiInfoDocument, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaDriftError);
    const drift = error as SchemaDriftError;
    expect(drift.code).toBe('SCHEMA_DRIFT');
    expect(drift.problems.some((problem) => problem.includes('flow_run.serialized_state') && problem.includes('FlowRunById'))).toBe(true);
    expect(drift.message).toContain(drifted.url);
    expect(client.requestCount).toBe(1);
  });

  it("warns and carries on in 'warn' mode", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    drifted = await startFaultyServer({ status: 200, body: API });
    drifted.script({ status: 200, body: driftedIntrospection() });
    const client = createClient({ url: drifted.url, checkSchema: 'warn', retry: false });
    await expect(client.query(ApiInfoDocument, {})).resolves.toEqual(API.data);
    await expect(client.query(ApiInfoDocument, {})).resolves.toEqual(API.data);
    expect(client.requestCount).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/flow_run\.serialized_state/);
  });

  it('rejects an unknown mode', () => {
    expect(() => createClient({ checkSchema: 'loud' as 'warn' })).toThrow(/checkSchema/);
  });
});
