// The cost model: every query Prefect Core 1.4.1 sends and the shapes of the Prefect UI's largest
// are admitted; hostile shapes of the sizes an attacker sent (a where nested five relationships
// deep, fragments spreading the next twice, aliases times levels, a list without a limit, JSON
// and _not nested thousands of levels, 3,000 nested aliases) are refused at once with
// QUERY_TOO_COMPLEX, or stopped by the row budget, with `/health` answering meanwhile; a bad
// timestamp in a filter is bad input.
import { readFileSync } from 'node:fs';
import { parse, print, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { WriteRunLogsDocument } from '@runview/documents';
import { ConformanceFlowRunsDocument, ConformanceLogsDocument, ConformanceTaskRunAggregateDocument } from '@runview/documents/conformance';
import { DEFAULT_QUERY_LIMITS, DEFAULT_TENANT_ID } from '../src/index.js';
import { readServeConfig, UsageError } from '../src/config.js';
import { admitOperation } from '../src/graphql/cost.js';
import { depthLimit } from '../src/graphql/depth-limit.js';
import { buildExecutableSchema } from '../src/graphql/schema.js';
import { readSchemaSource } from '../src/graphql/schema-source.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { HEALTH_BOUND_MS, whileHealthAnswers } from './support/health.js';
import { postRaw, send, type Answer } from './support/http.js';
import { useTestServer } from './support/server.js';
import { aliasesThroughFragments, doublingFragments, field, nestedAliases, nestedJsonText, nestedNot, nestedRunFilter, queryOf, text } from './support/shapes.js';

const schema = buildExecutableSchema(readSchemaSource());
const MAX_LIMIT = 10_000;

interface RecordedRequest {
  readonly n: number;
  readonly body: string;
}

/** Every operation Prefect Core 1.4.1 sent, with its variables (sent as a JSON string). */
function prefectCoreOperations(): { n: number; query: string; variables: unknown }[] {
  const lines = readFileSync(new URL('./fixtures/prefect-core-1.4.1-requests.jsonl', import.meta.url), 'utf8').split('\n');
  return lines
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      const { n, body } = JSON.parse(line) as RecordedRequest;
      const parsed = JSON.parse(body) as unknown;
      return (Array.isArray(parsed) ? parsed : [parsed]).map((operation: { query: string; variables?: unknown }) => ({
        n,
        query: operation.query,
        variables: typeof operation.variables === 'string' ? (JSON.parse(operation.variables) as unknown) : operation.variables,
      }));
    });
}

function refusal(answer: Answer<unknown>): Record<string, unknown> | undefined {
  return answer.errors?.[0]?.extensions;
}

describe('the cost model admits real queries', () => {
  it('admits every operation Prefect Core 1.4.1 sends, with the default limits', () => {
    const operations = prefectCoreOperations();
    expect(operations.length).toBeGreaterThanOrEqual(436);
    for (const operation of operations) {
      const admission = admitOperation({ schema, document: parse(operation.query), variableValues: operation.variables }, DEFAULT_QUERY_LIMITS, MAX_LIMIT);
      expect({ n: operation.n, refused: 'refused' in admission ? admission.refused.message : undefined }).toEqual({ n: operation.n, refused: undefined });
    }
  });

  it("admits the shapes of the Prefect UI's largest queries", () => {
    // The dashboard's and task page's state counts: 17 aliased aggregates filtered through a relationship.
    const counts = queryOf(
      Array.from({ length: 17 }, (_, index) =>
        field('task_run_aggregate', {
          alias: `state${String(index)}`,
          where: { task_id: { _eq: DEFAULT_TENANT_ID }, flow_run: { state: { _neq: 'Scheduled' } }, state: { _eq: 'Success' } },
          selections: [field('aggregate', { selections: [field('count')] })],
        }),
      ),
    );
    // The flow-run schematic: every parent task run with its task and the task's edges both ways, no limits.
    const edge = (side: string) => field(side, { selections: [field('upstream_task', { selections: [field('id'), field('name')] }), field('downstream_task', { selections: [field('id'), field('name')] })] });
    const schematic = queryOf([
      field('flow_run', {
        where: { id: { _eq: DEFAULT_TENANT_ID } },
        selections: [field('id'), field('task_runs', { where: { map_index: { _eq: -1 } }, selections: [field('id'), field('state'), field('task', { selections: [field('id'), field('name'), edge('upstream_edges'), edge('downstream_edges')] })] })],
      }),
    ]);
    for (const document of [counts, schematic]) {
      expect(validate(schema, document)).toEqual([]);
      expect(admitOperation({ schema, document }, DEFAULT_QUERY_LIMITS, MAX_LIMIT)).not.toHaveProperty('refused');
    }
  });

  it('measures 30 fragments that each spread the next twice in linear time, and refuses them', () => {
    const document = doublingFragments(30);
    // Validation (depth rule included) and the cost model each visit every fragment once.
    expect(validate(schema, document, [...specifiedRules, depthLimit(DEFAULT_QUERY_LIMITS.maxDepth)])).toEqual([]);
    const admission = admitOperation({ schema, document }, DEFAULT_QUERY_LIMITS, MAX_LIMIT);
    expect('refused' in admission && admission.refused.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'fields', limit: DEFAULT_QUERY_LIMITS.maxFields });
  });
});

describe('limit flags', () => {
  it('set the server options, and refuse what is not a whole number', () => {
    const config = readServeConfig(['--max-rows', '500', '--max-filter-revisits', '1', '--statement-timeout', '0', '--pool-timeout', '2', '--max-subscriptions', '3'], {});
    expect(config.kind === 'serve' && config.options).toMatchObject({
      queryLimits: { maxRows: 500, maxFilterRevisits: 1 },
      databaseTimeouts: { statementTimeoutMs: 0, connectTimeoutMs: 2_000 },
      subscriptionLimits: { perConnection: 3 },
    });
    expect(() => readServeConfig(['--max-fields', 'many'], {})).toThrow(UsageError);
    expect(() => readServeConfig(['--max-subscriptions-per-key', '0'], {})).toThrow('--max-subscriptions-per-key must be at least 1');
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`hostile operations (${backend.name})`, () => {
    // Small limits, so that a few rows of data reach them as millions would reach the defaults.
    const t = useTestServer(backend, (server) => insertTenantData(server.db, DEFAULT_TENANT_ID), { maxLimit: 3, queryLimits: { maxRows: 8 } });

    it('refuses a where nested five relationships deep at once, while /health answers', async () => {
      const { result, healthMs, healthStatus } = await whileHealthAnswers(t.server, () => send(t.server, ConformanceFlowRunsDocument, { where: nestedRunFilter(5) }));
      expect(result.status).toBe(400);
      expect(refusal(result)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'filterJoins', value: 5, limit: DEFAULT_QUERY_LIMITS.maxFilterJoins });
      expect(healthStatus).toBe(200);
      expect(healthMs).toBeLessThan(HEALTH_BOUND_MS);
    });

    it('refuses a filter that goes back to the rows it came from (task_runs, flow_run, task_runs)', async () => {
      const answer = await send(t.server, ConformanceFlowRunsDocument, { where: nestedRunFilter(3) });
      expect(refusal(answer)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'filterRevisits', value: 1, limit: 0 });
      // Down and back up is one lookup per row: admitted.
      expect((await send(t.server, ConformanceFlowRunsDocument, { where: nestedRunFilter(2) })).errors).toBeUndefined();
    });

    it('reads at most the maximum limit from a list without one, at the root, nested and as aggregate nodes', async () => {
      const logs = await send(t.server, ConformanceLogsDocument, {});
      expect(logs.data?.log).toHaveLength(3);
      const aggregate = await send(t.server, ConformanceTaskRunAggregateDocument, {});
      // The count covers every row; the nodes are capped.
      expect(aggregate.data?.task_run_aggregate.aggregate?.count).toBe(6);
      expect(aggregate.data?.task_run_aggregate.nodes).toHaveLength(3);
      const nested = await postRaw(t.server, JSON.stringify({ query: text(queryOf([field('flow_run', { where: { name: { _eq: 'amber-fox' } }, selections: [field('task_runs', { selections: [field('id')] })] })])) }));
      expect((nested as Answer<{ flow_run: { task_runs: unknown[] }[] }>).data?.flow_run[0]?.task_runs).toHaveLength(3);
    });

    it('stops 5 aliases times 6 levels through fragments once its rows pass the budget, while /health answers', async () => {
      const body = JSON.stringify({ query: text(aliasesThroughFragments(5, 6)) });
      const { result, healthMs } = await whileHealthAnswers(t.server, () => postRaw(t.server, body));
      expect(refusal(result)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'rows' });
      expect(result.text).not.toMatch(/select|json_agg|runview_charge/i);
      expect(healthMs).toBeLessThan(HEALTH_BOUND_MS);
    });

    it('stops a dump of 50 aliased lists once its rows pass the budget', async () => {
      const dump = queryOf(Array.from({ length: 50 }, (_, index) => field('log', { alias: `l${String(index)}`, selections: [field('id'), field('message')] })));
      const answer = await postRaw(t.server, JSON.stringify({ query: text(dump) }));
      expect(refusal(answer)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'rows' });
      expect(answer.text.length).toBeLessThan(10_000);
    });

    it('refuses _not nested 500 levels, as a literal and as a variable', async () => {
      const literal = await postRaw(t.server, JSON.stringify({ query: text(queryOf([field('flow_run', { where: nestedNot(500), selections: [field('id')] })])) }));
      expect(literal.status).toBe(400);
      expect(refusal(literal)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'sourceNesting' });
      const variable = await send(t.server, ConformanceFlowRunsDocument, { where: nestedNot(500) });
      expect(refusal(variable)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'inputDepth', limit: DEFAULT_QUERY_LIMITS.maxInputDepth });
      // Within the limits, it runs.
      expect((await send(t.server, ConformanceFlowRunsDocument, { where: nestedNot(12) })).errors).toBeUndefined();
    });

    it('refuses JSON nested 5,000 levels in the variables of a query and of a mutation', async () => {
      const deep = nestedJsonText(5000);
      const query = await postRaw(t.server, `{"query": ${JSON.stringify(print(ConformanceFlowRunsDocument))}, "variables": {"where": {"parameters": {"_contains": ${deep}}}}}`);
      expect(refusal(query)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'inputDepth' });
      const runId = t.data.runs['amber-fox'];
      const mutation = await postRaw(t.server, `{"query": ${JSON.stringify(print(WriteRunLogsDocument))}, "variables": {"input": {"logs": [{"flow_run_id": "${runId}", "info": ${deep}}]}}}`);
      expect(refusal(mutation)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'inputDepth' });
      expect(mutation.text).not.toContain('Unexpected error');
    });

    it('refuses 3,000 nested aliases before parsing them', async () => {
      const answer = await postRaw(t.server, JSON.stringify({ query: text(nestedAliases(3000)) }));
      expect(answer.status).toBe(400);
      expect(refusal(answer)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'sourceNesting', limit: 256 });
    });

    it('refuses 30 fragments that each spread the next twice, at once', async () => {
      const answer = await postRaw(t.server, JSON.stringify({ query: text(doublingFragments(30)) }));
      expect(answer.status).toBe(400);
      expect(refusal(answer)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'fields' });
    });

    it('answers a year-0 timestamp in a filter as bad input', async () => {
      for (const value of ['0000-01-01T00:00:00+00:00', '0000-06-01T00:00:00Z']) {
        const answer = await send(t.server, ConformanceFlowRunsDocument, { where: { start_time: { _gt: value } } });
        expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });
  });
}
