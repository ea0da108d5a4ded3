// The error classes a real @runview/server produces: credentials refused or not allowed,
// another tenant's rows, a limit the server refuses, and a response of the wrong shape from a
// server that drifted (a loopback server answering in an older shape).
import { CreateFlowRunDocument } from '@runview/documents/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlowRunView, ForbiddenError, GraphQLResponseError, InvalidResponseError, NotFoundError, UnauthenticatedError } from '../src/index.js';
import { startFaultyServer } from './support/faulty-server.js';
import { DEMO, KEYS, MAX_LIMIT, OTHER_TENANT, sharedServer, type TestServer } from './support/server.js';

let secured: TestServer;

beforeAll(async () => {
  secured = await sharedServer();
}, 180_000);

describe('a server with API keys', () => {
  it('refuses a missing or wrong key with UnauthenticatedError', async () => {
    for (const apiKey of [undefined, 'wrong-key']) {
      const error = await FlowRunView.fromFlowRunId(DEMO.reference, { client: secured.client({ apiKey }) }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnauthenticatedError);
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', request: { url: secured.url, operationName: 'FlowRunById' } });
      expect((error as UnauthenticatedError).errors.some((info) => info.code === 'UNAUTHENTICATED')).toBe(true);
      expect((error as Error).message).not.toContain('wrong-key');
    }
  });

  it('reads with a read-only key and refuses its writes with ForbiddenError', async () => {
    const reader = secured.client({ apiKey: KEYS.reader });
    expect((await FlowRunView.fromFlowRunId(DEMO.reference, { client: reader })).state.isSuccessful()).toBe(true);
    const error = await reader.mutate(CreateFlowRunDocument, { input: { flow_id: DEMO.flowId } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', request: { operationName: 'CreateFlowRun' } });
  });

  it('writes with a read-write key, and the new run reads back', async () => {
    const writer = secured.client({ apiKey: KEYS.writer });
    const created = await writer.mutate(CreateFlowRunDocument, { input: { flow_id: DEMO.flowId, flow_run_name: 'from-a-test' } });
    const id = created.create_flow_run?.id ?? '';
    const view = await FlowRunView.fromFlowRunId(id, { client: writer });
    expect(view.name).toBe('from-a-test');
    expect(view.state.isScheduled() || view.state.isPending()).toBe(true);
  });

  it("does not show one tenant another tenant's runs", async () => {
    const other = secured.client({ apiKey: KEYS.otherTenant, tenantId: OTHER_TENANT });
    await expect(FlowRunView.fromFlowRunId(DEMO.reference, { client: other })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports a limit the server refuses as a GraphQLResponseError with the path', async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client: secured.client({ apiKey: KEYS.reader }) });
    const error = await view.getLogs({ pageSize: MAX_LIMIT + 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphQLResponseError);
    const graphql = error as GraphQLResponseError;
    expect(graphql.errors[0]?.message).toMatch(new RegExp(`exceeds the maximum of ${MAX_LIMIT}`));
    expect(graphql.errors[0]?.path).toEqual(['log']);
    expect(graphql.request.operationName).toBe('FlowRunLogsFirstPage');
  });
});

describe('a drifted server', () => {
  it('reports a response of the wrong shape as an InvalidResponseError naming the field', async () => {
    const drifted = await startFaultyServer({
      status: 200,
      body: { data: { flow_run: [{ id: DEMO.reference, name: 'x', flow_id: DEMO.flowId, version: 'three', labels: [], states: [] }] } },
    });
    try {
      const client = secured.client({ url: drifted.url });
      const error = await FlowRunView.fromFlowRunId(DEMO.reference, { client }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).operationName).toBe('FlowRunById');
      expect((error as InvalidResponseError).problems.some((problem) => problem.startsWith('0.version'))).toBe(true);
    } finally {
      await drifted.close();
    }
  });
});
