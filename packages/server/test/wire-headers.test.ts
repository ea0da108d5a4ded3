// The headers Prefect's clients send, on the wire: the UI's `X-Prefect-Tenant-ID: null` (and
// its `"NULL"`, `"null "`, `undefined`, empty variants) means "no tenant given", never an error;
// the UI's and Core's other headers are accepted; an agent's `X-PREFECT-AGENT-ID` reaches the
// resolvers that read it.
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConformanceFlowRunsDocument } from '@runview/documents/conformance';
import { DEFAULT_TENANT_ID } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData, TENANT_B } from './support/fixtures.js';
import { errorCodes, exchange, postJson, prefectCoreRequests, useWireServer } from './support/wire.js';

const FLOW_RUNS = { query: print(ConformanceFlowRunsDocument), variables: { orderBy: [{ name: 'asc' }] } };

interface Body {
  readonly data?: { readonly flow_run?: readonly { readonly id: string }[] } | null;
}

/** Recorded Prefect Core requests by number: #144 registers an agent, #428 asks for its runs. */
function recorded(n: number): { headers: Record<string, string>; body: string } {
  const request = prefectCoreRequests().find((candidate) => candidate.n === n);
  if (request === undefined) throw new Error(`no recorded request #${n}`);
  return { headers: { ...request.headers }, body: request.body };
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`the headers Prefect sends (${backend.name})`, () => {
    const ids: { defaultRuns: string[]; otherRuns: string[] } = { defaultRuns: [], otherRuns: [] };
    const wire = useWireServer(backend, {}, async (server) => {
      ids.defaultRuns = Object.values((await insertTenantData(server.db, DEFAULT_TENANT_ID)).runs).sort();
      ids.otherRuns = Object.values((await insertTenantData(server.db, TENANT_B)).runs).sort();
    });
    const flowRunIds = async (headers: Record<string, string>): Promise<string[]> => {
      const answer = await postJson(`${wire.origin}/graphql`, FLOW_RUNS, headers);
      expect(answer.status, JSON.stringify(headers)).toBe(200);
      return ((answer.json as Body).data?.flow_run ?? []).map((run) => run.id).sort();
    };

    it('reads a tenant header of null, NULL, "null ", undefined or empty as no tenant: the default one', async () => {
      for (const value of ['null', 'NULL', 'null ', ' Null', 'undefined', 'UNDEFINED', '', '   ']) {
        expect(await flowRunIds({ 'X-Prefect-Tenant-ID': value }), JSON.stringify(value)).toEqual(ids.defaultRuns);
      }
    });

    it('serves the tenant a header names, and refuses one that is not a uuid', async () => {
      expect(await flowRunIds({ 'X-Prefect-Tenant-ID': ` ${TENANT_B.toUpperCase()} ` })).toEqual(ids.otherRuns);
      const answer = await postJson(`${wire.origin}/graphql`, FLOW_RUNS, { 'X-Prefect-Tenant-ID': 'tenant-b' });
      expect(errorCodes(answer.json)).toEqual(['BAD_USER_INPUT']);
    });

    it('accepts every header the UI and Prefect Core send', async () => {
      const headers = {
        'X-Prefect-UI': 'true',
        'X-Backend': 'server',
        'X-Prefect-Tenant-ID': 'null',
        'X-Prefect-User-ID': 'null',
        'X-Prefect-Interactive-API': 'true',
        'X-PREFECT-CORE-VERSION': '1.4.1',
        'X-PREFECT-AGENT-ID': 'null',
        'X-PREFECT-HEARTBEAT-ID': ids.defaultRuns[0] ?? '',
        'User-Agent': 'python-requests/2.28.1',
      };
      expect(await flowRunIds(headers)).toEqual(ids.defaultRuns);
    });

    it("passes an agent's X-PREFECT-AGENT-ID to the resolvers (get_runs_in_queue marks the agent queried)", async () => {
      const register = recorded(144);
      const registered = await exchange(`${wire.origin}/graphql`, { method: 'POST', headers: register.headers, body: register.body });
      const agentId = (registered.json as { data?: { register_agent?: { id?: string } } }).data?.register_agent?.id;
      expect(agentId).toMatch(/^[0-9a-f-]{36}$/);
      const lastQueried = async (): Promise<unknown> =>
        (await wire.server.db.query<{ last_queried: unknown }>({ sql: 'select last_queried from agent where id = $1', parameters: [agentId] }))[0]
          ?.last_queried;
      expect(await lastQueried()).toBeNull();
      const queue = recorded(428);
      const withoutAgent = await exchange(`${wire.origin}/`, { method: 'POST', headers: { ...queue.headers, 'X-PREFECT-AGENT-ID': 'null' }, body: queue.body });
      expect(withoutAgent.status).toBe(200);
      expect(await lastQueried()).toBeNull();
      const asAgent = await exchange(`${wire.origin}/`, {
        method: 'POST',
        headers: { ...queue.headers, 'X-PREFECT-AGENT-ID': ` ${agentId ?? ''} ` },
        body: queue.body,
      });
      expect(asAgent.status).toBe(200);
      expect(errorCodes(asAgent.json)).toEqual([]);
      expect(await lastQueried()).not.toBeNull();
    });
  });
}
