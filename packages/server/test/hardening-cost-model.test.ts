// The cost model as a unit: every operation Prefect Core 1.4.1 sends and the shapes of the
// Prefect UI's largest queries are admitted with the default limits; fragments that each spread
// the next twice are measured in linear time; the limit flags set the server's options.
import { readFileSync } from 'node:fs';
import { parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS, DEFAULT_TENANT_ID } from '../src/index.js';
import { readServeConfig, ServeUsageError } from '../src/config.js';
import { admitOperation } from '../src/graphql/cost.js';
import { depthLimit } from '../src/graphql/depth-limit.js';
import { buildExecutableSchema } from '../src/graphql/schema.js';
import { readSchemaSource } from '../src/graphql/schema-source.js';
import { doublingFragments, field, queryOf } from './support/shapes.js';

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
    const edge = (side: string) =>
      field(side, {
        selections: [
          field('upstream_task', { selections: [field('id'), field('name')] }),
          field('downstream_task', { selections: [field('id'), field('name')] }),
        ],
      });
    const schematic = queryOf([
      field('flow_run', {
        where: { id: { _eq: DEFAULT_TENANT_ID } },
        selections: [
          field('id'),
          field('task_runs', {
            where: { map_index: { _eq: -1 } },
            selections: [
              field('id'),
              field('state'),
              field('task', { selections: [field('id'), field('name'), edge('upstream_edges'), edge('downstream_edges')] }),
            ],
          }),
        ],
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
    expect('refused' in admission && admission.refused.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      measure: 'fields',
      limit: DEFAULT_QUERY_LIMITS.maxFields,
    });
  });
});

describe('limit flags', () => {
  it('set the server options, and refuse what is not a whole number', () => {
    const config = readServeConfig(
      ['--max-rows', '500', '--max-filter-revisits', '1', '--statement-timeout', '0', '--pool-timeout', '2', '--max-subscriptions', '3'],
      {},
    );
    expect(config.kind === 'serve' && config.options).toMatchObject({
      queryLimits: { maxRows: 500, maxFilterRevisits: 1 },
      databaseTimeouts: { statementTimeoutMs: 0, connectTimeoutMs: 2_000 },
      subscriptionLimits: { perConnection: 3 },
    });
    expect(() => readServeConfig(['--max-fields', 'many'], {})).toThrow(ServeUsageError);
    expect(() => readServeConfig(['--max-subscriptions-per-key', '0'], {})).toThrow('--max-subscriptions-per-key must be at least 1');
  });
});
