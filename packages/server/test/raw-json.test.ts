// How an answer the database wrote leaves the server: as its text, with the media type, status
// and batch framing an executed answer gets for the same request (yoga's own processor writes
// the executed ones), and readable as a plain result by whoever parses it (a stream).
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConformanceProjectsDocument, ConformanceServerInfoDocument } from '@runview/documents/conformance';
import { DEFAULT_TENANT_ID } from '../src/index.js';
import { answeredJsonType } from '../src/http/raw-json.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { ENDPOINT, postRaw } from './support/http.js';
import { useTestServer } from './support/server.js';

/** A query of table fields only: answered with the database's JSON. */
const RAW = JSON.stringify({ query: print(ConformanceProjectsDocument) });
/** `hello` and `api`: answered by execution. */
const EXECUTED = JSON.stringify({ query: print(ConformanceServerInfoDocument) });

const ACCEPT_HEADERS = [
  undefined,
  '*/*',
  'application/json',
  'application/graphql-response+json',
  // Apollo Client's
  'application/graphql-response+json,application/json;q=0.9',
  'application/json, application/graphql-response+json',
  'application/*',
  'text/html, */*;q=0.8',
  'application/json; charset=iso-8859-1, application/graphql-response+json',
];

describe('the JSON media type of an answer', () => {
  it('is the first listed type in UTF-8 that a JSON type matches, application/json when both do', () => {
    expect(answeredJsonType(null)).toBe('application/json');
    expect(answeredJsonType('application/graphql-response+json, application/json')).toBe('application/graphql-response+json');
    expect(answeredJsonType('*/*')).toBe('application/json');
    expect(answeredJsonType('application/json;charset=latin1, application/*')).toBe('application/json');
    expect(answeredJsonType('application/json;charset=latin1')).toBeUndefined();
    expect(answeredJsonType('text/event-stream')).toBeUndefined();
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`answers written by the database (${backend.name})`, () => {
    const t = useTestServer(backend, (server) => insertTenantData(server.db, DEFAULT_TENANT_ID));

    it('carry the media type and status an executed answer gets, whatever the client accepts', async () => {
      for (const accept of ACCEPT_HEADERS) {
        const headers: Record<string, string> = accept === undefined ? {} : { accept };
        const raw = await t.server.fetch(new Request(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: RAW }));
        const executed = await t.server.fetch(
          new Request(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: EXECUTED }),
        );
        expect(raw.status, accept).toBe(executed.status);
        expect(raw.headers.get('content-type'), accept).toBe(executed.headers.get('content-type'));
        const body = (await raw.json()) as { data?: { project?: unknown[] } };
        expect(body.data?.project?.length, accept).toBeGreaterThan(0);
        await executed.body?.cancel();
      }
    });

    it('keep their place in a batch beside executed answers and failures', async () => {
      const batch = `[${RAW},${EXECUTED},{"query":"{ no_such_field }"},${RAW}]`;
      const answer = await postRaw(t.server, batch);
      expect(answer.status).toBe(200);
      const members = JSON.parse(answer.text) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
      expect(members).toHaveLength(4);
      // The database's text, as it wrote it, in its place (execution would write it again, its own way).
      const alone = (await postRaw(t.server, RAW)).text;
      expect(answer.text.startsWith(`[${alone},`)).toBe(true);
      expect(answer.text.endsWith(`,${alone}]`)).toBe(true);
      expect(members[0]).toEqual(JSON.parse(alone));
      expect(members[1]?.data?.['hello']).toBe('👋');
      expect(members[2]?.data).toBeUndefined();
      expect(members[2]?.errors?.[0]?.message).toMatch(/no_such_field/);
      // yoga's internals (the status it meant) never reach the client.
      expect(members[2]?.errors?.[0]?.extensions?.['http']).toBeUndefined();
    });

    it('are read as plain results by a stream', async () => {
      const response = await t.server.fetch(
        new Request(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: RAW }),
      );
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const event = /^event: next\ndata: (.*)$/m.exec(await response.text());
      const alone = (await postRaw(t.server, RAW)).text;
      expect(JSON.parse(event?.[1] ?? 'null')).toEqual(JSON.parse(alone));
    });
  });
}
