// The hardening findings whose own tests live with the feature they belong to (run creation,
// states, the HTTP front), reproduced here in the shape and size they were reported in, each
// with `/health` asked while the offending request runs: 20 concurrent create_flow_run calls
// with one idempotency key make one run; a Running state with `start_time: "not a time"` and
// year-0 timestamps are refused as bad input; a cross-site form POST deletes nothing and a
// foreign page gets no CORS grant, a browser's GET no GraphiQL page; a 4 MB malformed body is
// not echoed and an alias named `__proto__` survives the rows path. Only the server's public
// entry and the shared test support are imported, so these run against any version of it.
import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CreateFlowRunDocument, DeleteFlowRunDocument, SetFlowRunStatesDocument, WriteRunLogsDocument } from '@runview/documents/testing';
import { ConformanceFlowRunByPkDocument } from '@runview/documents/conformance';
import { DEFAULT_TENANT_ID, type RunviewServer } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData, type TenantData } from './support/fixtures.js';
import { answeredWhileHealthy } from './support/health.js';
import { newTenant } from './support/runtime-tenant.js';
import { exchange, postJson, useWireServer } from './support/wire.js';
import { field, queryOf } from './support/shapes.js';

const FOREIGN_ORIGIN = 'https://attacker.example';

interface Body {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { readonly message: string; readonly extensions?: Record<string, unknown> }[];
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`hardening findings on the wire (${backend.name})`, () => {
    const fixture: { data?: TenantData } = {};
    const wire = useWireServer(backend, {}, async (server: RunviewServer) => {
      fixture.data = await insertTenantData(server.db, DEFAULT_TENANT_ID);
    });
    const graphql = (): string => `${wire.origin}/graphql`;
    const amberFox = (): string => fixture.data?.runs['amber-fox'] ?? '';
    const runStillThere = async (): Promise<boolean> => {
      const answer = await postJson(graphql(), { query: print(ConformanceFlowRunByPkDocument), variables: { id: amberFox() } });
      return (answer.json as Body).data?.['flow_run_by_pk'] !== null;
    };

    it('creates one run for 20 concurrent create_flow_run calls with one idempotency key (finding 7)', async () => {
      const tenant = await newTenant(wire.server);
      const input = { flow_id: tenant.flowId, idempotency_key: `key-${randomUUID()}` };
      const answers = await answeredWhileHealthy(wire.origin, () =>
        Promise.all(Array.from({ length: 20 }, () => tenant.send(CreateFlowRunDocument, { input }))),
      );
      expect(answers.flatMap((answer) => answer.errors ?? [])).toEqual([]);
      expect(new Set(answers.map((answer) => answer.data?.create_flow_run?.id)).size).toBe(1);
      const stored = await wire.server.db.kysely.selectFrom('flow_run').select('id').where('idempotency_key', '=', input.idempotency_key).execute();
      expect(stored).toHaveLength(1);
    });

    it('refuses a Running state with start_time "not a time" as bad input and keeps the run readable (finding 8)', async () => {
      const tenant = await newTenant(wire.server);
      const id = await tenant.createRun();
      const answer = await answeredWhileHealthy(wire.origin, () =>
        tenant.send(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: id, state: { type: 'Running', start_time: 'not a time' } }] } }),
      );
      expect(answer.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toMatch(/start_time/);
      const run = await wire.server.db.kysely.selectFrom('flow_run').select(['state', 'serialized_state']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(run.state).toBe('Scheduled');
    });

    it('refuses year-0 timestamps in a log line and in a state as bad input, never an unexpected error (finding 14)', async () => {
      const tenant = await newTenant(wire.server);
      const id = await tenant.createRun();
      const year0 = '0000-01-01T00:00:00+00:00';
      const log = await answeredWhileHealthy(wire.origin, () =>
        tenant.send(WriteRunLogsDocument, { input: { logs: [{ flow_run_id: id, message: 'from year 0', timestamp: year0 }] } }),
      );
      const state = await answeredWhileHealthy(wire.origin, () =>
        tenant.send(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: id, state: { type: 'Scheduled', start_time: year0 } }] } }),
      );
      for (const answer of [log, state]) {
        expect(answer.errors?.[0]?.message).not.toMatch(/Unexpected error/);
        expect(answer.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      }
    });

    it('runs no form-encoded POST from a foreign page: the run it would delete stays (finding 9)', async () => {
      const form = new URLSearchParams({ query: print(DeleteFlowRunDocument), variables: JSON.stringify({ input: { flow_run_id: amberFox() } }) });
      const answer = await answeredWhileHealthy(wire.origin, () => exchange(graphql(), { method: 'POST', body: form, headers: { origin: FOREIGN_ORIGIN } }));
      expect([403, 415]).toContain(answer.status);
      expect(await runStillThere()).toBe(true);
    });

    it('grants a foreign page no CORS, credentials least of all, and a browser no GraphiQL page (finding 9)', async () => {
      const preflight = await answeredWhileHealthy(wire.origin, () =>
        exchange(graphql(), {
          method: 'OPTIONS',
          headers: { origin: FOREIGN_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        }),
      );
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const page = await exchange(graphql(), { headers: { accept: 'text/html' } });
      expect(page.text).not.toMatch(/<script|graphiql|unpkg|jsdelivr|cdn/i);
    });

    it('answers a 4 MB malformed body briefly, never echoing it (finding 17)', async () => {
      const body = `{"query": "${'a'.repeat(4 * 1024 * 1024)}`;
      const answer = await answeredWhileHealthy(wire.origin, () => postJson(graphql(), body));
      expect(answer.status).toBe(400);
      expect(answer.text.length).toBeLessThan(200);
    });

    it('answers an alias named __proto__ on the rows path (finding 17)', async () => {
      const logs = queryOf([field('log', { limit: 10, selections: [field('id', { alias: '__proto__' }), field('message')] })]);
      const answer = await answeredWhileHealthy(wire.origin, () => postJson(graphql(), { query: print(logs) }));
      const rows = (answer.json as Body).data?.['log'] as Record<string, unknown>[] | undefined;
      const aliased = (rows ?? []).map((row) => Object.getOwnPropertyDescriptor(row, '__proto__')?.value as string);
      expect(aliased).toHaveLength(fixture.data?.amberLogIds.length ?? -1);
      expect(aliased.toSorted()).toEqual([...(fixture.data?.amberLogIds ?? [])].sort());
    });
  });
}
