// Cross-site safety on the wire: a web page elsewhere cannot make a browser run an operation.
// Requests a browser sends without asking first (form-encoded, multipart, text/plain POSTs)
// never execute; an `Origin` outside the allow-list is refused before anything runs, preflight
// included; an allowed origin gets its own origin back and never credentials. The default list
// is the loopback pages the dashboard's and the Prefect UI's development servers serve.
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DeleteFlowRunDocument } from '@runview/documents/testing';
import { ConformanceFlowRunByPkDocument } from '@runview/documents/conformance';
import { CorsOriginConfigError, DEFAULT_TENANT_ID, type RunviewServer } from '../src/index.js';
import { parseCorsOrigins } from '../src/http/cors.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { errorCodes, exchange, postJson, useWireServer, type WireAnswer } from './support/wire.js';

const UI_ORIGIN = 'https://ui.example.com:8080';
const FOREIGN_ORIGIN = 'https://attacker.example';

function preflight(url: string, origin: string): Promise<WireAnswer> {
  return exchange(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-prefect-tenant-id' },
  });
}

/** Opens a graphql-ws socket as a page at `origin` would: `open`, the refusal's status, or `closed`. */
function openSocket(url: string, origin: string): Promise<'open' | 'closed' | number> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { origin });
  return new Promise((resolve) => {
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', () => {
      resolve('closed');
    });
  });
}

describe('the CORS allow-list', () => {
  it('reads origins, loopback and *, repeated or comma-separated', () => {
    const list = parseCorsOrigins([`${UI_ORIGIN}, loopback`, 'http://ci.internal']);
    for (const origin of [UI_ORIGIN, 'http://ci.internal', 'http://localhost:8080', 'http://127.0.0.1:3000', 'http://[::1]:5173', 'http://app.localhost'])
      expect(list.allows(origin), origin).toBe(true);
    for (const origin of [
      FOREIGN_ORIGIN,
      'https://ui.example.com',
      'http://ui.example.com:8080',
      'null',
      'http://localhost.attacker.example',
      'http://127.0.0.1.attacker.example',
    ])
      expect(list.allows(origin), origin).toBe(false);
    expect(parseCorsOrigins(['*']).allows(FOREIGN_ORIGIN)).toBe(true);
    expect(parseCorsOrigins([]).allows('http://localhost:8080')).toBe(false);
  });

  it('refuses an entry that is not an origin', () => {
    for (const entry of ['ui.example.com', 'https://ui.example.com/path', 'ftp://ui.example.com', 'https://*.example.com']) {
      expect(() => parseCorsOrigins([entry]), entry).toThrow(CorsOriginConfigError);
    }
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`cross-site requests (${backend.name})`, () => {
    const runs: { id?: string } = {};
    const setup = async (server: RunviewServer): Promise<void> => {
      runs.id = (await insertTenantData(server.db, DEFAULT_TENANT_ID)).runs['amber-fox'];
    };
    const open = useWireServer(backend, {}, setup);
    const configured = useWireServer(backend, { corsOrigins: [UI_ORIGIN] });
    const runId = (): string => runs.id ?? '';
    const deleteRun = (): { query: string; variables: string } => ({
      query: print(DeleteFlowRunDocument),
      variables: JSON.stringify({ input: { flow_run_id: runId() } }),
    });
    const runStillThere = async (): Promise<boolean> => {
      const answer = await postJson(`${open.origin}/graphql`, { query: print(ConformanceFlowRunByPkDocument), variables: { id: runId() } });
      return (answer.json as { data?: { flow_run_by_pk: unknown } }).data?.flow_run_by_pk !== null;
    };

    it('never runs a form-encoded, multipart or text/plain POST, with or without an Origin', async () => {
      const { query, variables } = deleteRun();
      const form = new URLSearchParams({ query, variables });
      const multipart = new FormData();
      multipart.set('query', query);
      multipart.set('variables', variables);
      const bodies: [string, RequestInit][] = [
        ['form', { body: form }],
        ['multipart', { body: multipart }],
        ['text/plain', { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query, variables }) }],
        ['no type', { body: new Blob([JSON.stringify({ query, variables })]) }],
      ];
      for (const [name, init] of bodies) {
        for (const origin of [undefined, FOREIGN_ORIGIN, 'http://localhost:8080']) {
          const headers = { ...(init.headers as Record<string, string> | undefined), ...(origin === undefined ? {} : { origin }) };
          const answer = await exchange(`${open.origin}/graphql`, { ...init, method: 'POST', headers });
          expect([403, 415], `${name} from ${origin ?? 'no origin'}`).toContain(answer.status);
        }
      }
      expect(await runStillThere()).toBe(true);
    });

    it('refuses a foreign Origin before anything runs, JSON included, and answers it no CORS headers', async () => {
      const answer = await postJson(`${open.origin}/graphql`, deleteRun(), { origin: FOREIGN_ORIGIN });
      expect(answer.status).toBe(403);
      expect(errorCodes(answer.json)).toEqual(['FORBIDDEN']);
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(await runStillThere()).toBe(true);
      const get = await exchange(`${open.origin}/?query=${encodeURIComponent(print(ConformanceFlowRunByPkDocument))}`, { headers: { origin: FOREIGN_ORIGIN } });
      expect(get.status).toBe(403);
      const asked = await preflight(`${open.origin}/graphql`, FOREIGN_ORIGIN);
      expect(asked.status).toBe(403);
      expect(asked.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('refuses a WebSocket from a foreign page (browsers apply no CORS to them), and opens one for an allowed page', async () => {
      expect(['closed', 403]).toContain(await openSocket(`${open.origin}/graphql`, FOREIGN_ORIGIN));
      expect(await openSocket(`${open.origin}/graphql`, 'http://localhost:8080')).toBe('open');
      expect(await openSocket(`${configured.origin}/graphql`, UI_ORIGIN)).toBe('open');
      expect(['closed', 403]).toContain(await openSocket(`${configured.origin}/graphql`, 'http://localhost:8080'));
    });

    it('allows loopback pages by default: their own origin back, the headers they ask for, never credentials', async () => {
      for (const origin of ['http://localhost:8080', 'http://127.0.0.1:5173']) {
        const asked = await preflight(`${open.origin}/graphql`, origin);
        expect(asked.status).toBe(204);
        expect(asked.headers.get('access-control-allow-origin')).toBe(origin);
        expect(asked.headers.get('access-control-allow-methods')).toBe('GET, POST');
        expect(asked.headers.get('access-control-allow-headers')).toBe('content-type,x-prefect-tenant-id');
        expect(asked.headers.get('access-control-allow-credentials')).toBeNull();
        const answer = await postJson(`${open.origin}/graphql`, { query: print(ConformanceFlowRunByPkDocument), variables: { id: runId() } }, { origin });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
        expect(answer.headers.get('vary')).toMatch(/Origin/);
        expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
      }
    });

    it('answers a page of the server itself (same origin) without CORS', async () => {
      const answer = await postJson(
        `${open.origin}/graphql`,
        { query: print(ConformanceFlowRunByPkDocument), variables: { id: runId() } },
        { origin: open.origin },
      );
      expect(answer.status).toBe(200);
    });

    it('with --cors-origin, allows exactly the listed origins (the list replaces the loopback default)', async () => {
      const asked = await preflight(`${configured.origin}/graphql`, UI_ORIGIN);
      expect(asked.status).toBe(204);
      expect(asked.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
      const answer = await postJson(
        `${configured.origin}/`,
        { query: print(ConformanceFlowRunByPkDocument), variables: { id: DEFAULT_TENANT_ID } },
        { origin: UI_ORIGIN },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
      expect((await preflight(`${configured.origin}/graphql`, 'http://localhost:8080')).status).toBe(403);
      expect((await preflight(`${configured.origin}/graphql`, FOREIGN_ORIGIN)).status).toBe(403);
    });
  });
}
