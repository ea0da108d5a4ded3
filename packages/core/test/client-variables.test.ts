// `client.query(Doc)` without `{}` when the operation has no required variable; the types still
// demand the variables an operation needs.
import { FlowRunByIdDocument } from '@runview/documents';
import { TypenameDocument } from '@runview/documents/bench';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedServer, type TestServer } from './support/server.js';

let demo: TestServer;

beforeAll(async () => {
  demo = await sharedServer();
});

describe('variables', () => {
  it('may be left out of an operation that has none', async () => {
    const client = demo.client();
    expect(await client.query(TypenameDocument)).toEqual({ __typename: 'Query' });
    // Options without variables.
    expect(await client.query(TypenameDocument, undefined, { timeoutMs: 5000 })).toEqual({ __typename: 'Query' });
    client.close();
  });

  it('are still required where the operation needs them', () => {
    const client = demo.client();
    // @ts-expect-error FlowRunById needs its id
    const missing = () => client.query(FlowRunByIdDocument);
    expect(typeof missing).toBe('function');
    client.close();
  });
});
