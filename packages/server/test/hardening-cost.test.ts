// Hostile operations of the sizes an attacker sent (a where nested five relationships deep, 22
// fragments that each spread the next twice, 5 aliases times 6 levels, a dump of 50 aliased
// lists, JSON and _not nested thousands of levels, 3,000 nested aliases) are refused at once with
// QUERY_TOO_COMPLEX, or stopped by the row budget, with `/health` answering meanwhile; a list
// without a limit answers every row or none; a bad timestamp in a filter is bad input. Only the
// server's public entry is imported, so these run against any version of it.
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { WriteRunLogsDocument } from '@runview/documents/testing';
import { ConformanceFlowRunsDocument, ConformanceLogsDocument, ConformanceTaskRunAggregateDocument } from '@runview/documents/conformance';
import { DEFAULT_QUERY_LIMITS, DEFAULT_TENANT_ID } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { answeredWhileHealthy } from './support/health.js';
import { postRaw, send, type Answer } from './support/http.js';
import { useTestServer } from './support/server.js';
import {
  aliasesThroughFragments,
  doublingFragments,
  field,
  nestedAliases,
  nestedJsonText,
  nestedNot,
  nestedRunFilter,
  queryOf,
  text,
} from './support/shapes.js';

function refusal(answer: Answer<unknown>): Record<string, unknown> | undefined {
  return answer.errors?.[0]?.extensions;
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`hostile operations (${backend.name})`, () => {
    // Small limits, so that a few rows of data reach them as millions would reach the defaults.
    const t = useTestServer(backend, (server) => insertTenantData(server.db, DEFAULT_TENANT_ID), { maxLimit: 3, queryLimits: { maxRows: 8 } });
    /** Posts `body`, checking that `/health` answers within the bound meanwhile. */
    const post = (body: string): Promise<Answer<unknown>> => answeredWhileHealthy(t.server, () => postRaw(t.server, body));

    it('refuses a where nested five relationships deep (240 bytes) at once, while /health answers', async () => {
      const body = JSON.stringify({ query: print(ConformanceFlowRunsDocument), variables: { where: nestedRunFilter(5) } });
      const answer = await post(body);
      expect(refusal(answer)?.['code']).toBe('QUERY_TOO_COMPLEX');
      expect(answer.status).toBe(400);
      expect(refusal(answer)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'filterJoins', value: 5, limit: DEFAULT_QUERY_LIMITS.maxFilterJoins });
    });

    it('refuses a filter that goes back to the rows it came from (task_runs, flow_run, task_runs)', async () => {
      const answer = await answeredWhileHealthy(t.server, () => send(t.server, ConformanceFlowRunsDocument, { where: nestedRunFilter(3) }));
      expect(refusal(answer)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'filterRevisits', value: 1, limit: 0 });
      // Down and back up is one lookup per row: admitted.
      expect((await send(t.server, ConformanceFlowRunsDocument, { where: nestedRunFilter(2) })).errors).toBeUndefined();
    });

    it('reads every row of a list without a limit, as Hasura does, at the root, nested and as aggregate nodes', async () => {
      // 4 log lines and 6 task runs: more than the maximum limit (3), within the row budget (8).
      const logs = await answeredWhileHealthy(t.server, () => send(t.server, ConformanceLogsDocument, {}));
      expect(logs.data?.log).toHaveLength(4);
      const aggregate = await send(t.server, ConformanceTaskRunAggregateDocument, {});
      expect(aggregate.data?.task_run_aggregate.aggregate?.count).toBe(6);
      expect(aggregate.data?.task_run_aggregate.nodes).toHaveLength(6);
      const nested = await postRaw(
        t.server,
        JSON.stringify({
          query: text(queryOf([field('flow_run', { where: { name: { _eq: 'amber-fox' } }, selections: [field('task_runs', { selections: [field('id')] })] })])),
        }),
      );
      expect((nested as Answer<{ flow_run: { task_runs: unknown[] }[] }>).data?.flow_run[0]?.task_runs).toHaveLength(5);
    });

    it('refuses a list without a limit whose rows pass the row budget, never answering part of it', async () => {
      // Every run with its task runs: 4 + 6 rows, past the budget of 8.
      const nested = await post(
        JSON.stringify({ query: text(queryOf([field('flow_run', { selections: [field('id'), field('task_runs', { selections: [field('id')] })] })])) }),
      );
      expect(refusal(nested)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'rows', limit: 8 });
      expect(nested.text).not.toContain('"task_runs"');
      // Three root fields share the budget (2 rows each): 4 log lines read as plain rows are past it.
      const flat = queryOf([
        field('log', { alias: 'a', selections: [field('id')] }),
        field('log', { alias: 'b', selections: [field('id')] }),
        field('task_run', { selections: [field('id')] }),
      ]);
      const refused = await post(JSON.stringify({ query: text(flat) }));
      expect(refusal(refused)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'rows', limit: 2 });
      expect(refused.text).not.toContain('"a"');
    });

    it('stops 5 aliases times 6 levels through fragments (1 KB) once its rows pass the budget, while /health answers', async () => {
      const answer = await post(JSON.stringify({ query: text(aliasesThroughFragments(5, 6)) }));
      expect(refusal(answer)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'rows' });
      expect(answer.text).not.toMatch(/select|json_agg|runview_charge/i);
    });

    it('stops a dump of 50 aliased lists once its rows pass the budget', async () => {
      const dump = queryOf(Array.from({ length: 50 }, (_, index) => field('log', { alias: `l${String(index)}`, selections: [field('id'), field('message')] })));
      const answer = await post(JSON.stringify({ query: text(dump) }));
      expect(refusal(answer)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'rows' });
      expect(answer.text.length).toBeLessThan(10_000);
    });

    it('refuses _not nested 500 levels, as a literal and as a variable', async () => {
      const literal = await post(JSON.stringify({ query: text(queryOf([field('flow_run', { where: nestedNot(500), selections: [field('id')] })])) }));
      expect(refusal(literal)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'sourceNesting' });
      expect(literal.status).toBe(400);
      const variable = await post(JSON.stringify({ query: print(ConformanceFlowRunsDocument), variables: { where: nestedNot(500) } }));
      expect(refusal(variable)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'inputDepth', limit: DEFAULT_QUERY_LIMITS.maxInputDepth });
      // Within the limits, it runs.
      expect((await send(t.server, ConformanceFlowRunsDocument, { where: nestedNot(12) })).errors).toBeUndefined();
    });

    it('refuses JSON nested 5,000 levels in the variables of a query and of a mutation', async () => {
      const deep = nestedJsonText(5000);
      const query = await post(
        `{"query": ${JSON.stringify(print(ConformanceFlowRunsDocument))}, "variables": {"where": {"parameters": {"_contains": ${deep}}}}}`,
      );
      expect(refusal(query)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'inputDepth' });
      const runId = t.data.runs['amber-fox'];
      const mutation = await post(
        `{"query": ${JSON.stringify(print(WriteRunLogsDocument))}, "variables": {"input": {"logs": [{"flow_run_id": "${runId}", "info": ${deep}}]}}}`,
      );
      expect(refusal(mutation)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'inputDepth' });
      expect(mutation.text).not.toContain('Unexpected error');
    });

    it('refuses 3,000 nested aliases before parsing them', async () => {
      const answer = await post(JSON.stringify({ query: text(nestedAliases(3000)) }));
      expect(refusal(answer)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'sourceNesting', limit: 256 });
      expect(answer.status).toBe(400);
    });

    it('refuses 22 fragments that each spread the next twice (1.4 KB) at once, while /health answers', async () => {
      // Printed as a client would send it: 1.3 KB.
      const answer = await post(JSON.stringify({ query: print(doublingFragments(22)) }));
      expect(refusal(answer)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'fields' });
      expect(answer.status).toBe(400);
    });

    it('answers a year-0 timestamp in a filter as bad input', async () => {
      for (const value of ['0000-01-01T00:00:00+00:00', '0000-06-01T00:00:00Z']) {
        const answer = await answeredWhileHealthy(t.server, () => send(t.server, ConformanceFlowRunsDocument, { where: { start_time: { _gt: value } } }));
        expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });
  });
}
