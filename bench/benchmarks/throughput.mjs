// @ts-check
/**
 * 4. Server throughput: a flow run page (`flow_run_by_pk` with 100 nested task runs and its
 * flow and project) under 16 concurrent connections, beside the same server answering
 * `{ __typename }`, the ceiling of its HTTP and GraphQL stack. On PGlite and on PostgreSQL.
 */
import { FlowRunWithTaskRunsDocument, TypenameDocument } from '@runview/documents/bench';
import { print } from 'graphql';
import { ms, now, num, ratio, runChild } from '../lib/measure.mjs';
import { profiled, summariseProfile } from '../lib/profile.mjs';
import { withStatementTiming } from '../lib/server.mjs';

export const title = 'Server throughput';

export const method =
  '**4. Server throughput.** autocannon, in a child process, POSTs one GraphQL request over 16 keep-alive connections on ' +
  'loopback for 5 s (`--quick`: 1 s) after a 2 s warm-up (`--quick`: none): `FlowRunWithTaskRuns` (`flow_run_by_pk` with ' +
  '`task_runs(limit: 100)` and `flow { … project { … } }`, 100 task runs returned, checked before the load), then ' +
  "`query Typename { __typename }`, which never reaches the database: the ceiling of the same server's HTTP and " +
  "GraphQL stack. Requests/s is autocannon's average over the run; latencies are its p50 and p99. The server runs in " +
  "the benchmark's process, on PGlite in memory and on a fresh PostgreSQL database.";

const LOAD = new URL('../child/load.mjs', import.meta.url);
const CONNECTIONS = 16;
/** Requests in a row that split a missed target's time between the database and the rest. */
const SEQUENTIAL = 30;

/**
 * @typedef {{ requestsPerSecond: number, total: number, p50: number, p99: number, non2xx: number, errors: number, timeouts: number }} Load
 */

/**
 * @param {string} url
 * @param {string} body
 * @param {number} seconds
 * @returns {Promise<Load>}
 */
async function load(url, body, seconds) {
  /** @type {Load} */
  const result = await runChild(LOAD, { url, body, connections: CONNECTIONS, durationSeconds: seconds });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`the load got ${result.non2xx} non-2xx answers and ${result.errors} errors of ${result.total}`);
  }
  return result;
}

/**
 * @param {string} url
 * @param {string} body
 */
async function checkAnswer(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
  const json = /** @type {{ data?: { flow_run_by_pk?: { task_runs?: unknown[], flow?: { project?: unknown } } }, errors?: unknown }} */ (await response.json());
  const taskRuns = json.data?.flow_run_by_pk?.task_runs?.length;
  if (!response.ok || json.errors !== undefined || taskRuns !== 100 || !json.data?.flow_run_by_pk?.flow?.project) {
    throw new Error(`FlowRunWithTaskRuns did not answer 100 task runs with the flow's project: ${JSON.stringify(json).slice(0, 300)}`);
  }
}

/** @param {Load} result */
function figures(result) {
  return `${num(result.requestsPerSecond)} req/s, p50 ${num(result.p50, 1)} ms, p99 ${num(result.p99, 1)} ms`;
}

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(ctx) {
  const seconds = ctx.quick ? 1 : 5;
  const warmup = ctx.quick ? 0 : 2;
  const ceilingBody = JSON.stringify({ query: print(TypenameDocument), operationName: 'Typename', variables: {} });
  /** @type {import('../lib/report.mjs').Row[]} */
  const rows = [];
  for (const kind of /** @type {const} */ (['pglite', 'postgres'])) {
    const id = kind === 'pglite' ? '4a' : '4b';
    const label = kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
    const target = kind === 'postgres' ? '≥ 0.5× the ceiling' : 'none (the target is on PostgreSQL)';
    const bench = await ctx.serverWithRun(kind);
    if (bench === null) {
      rows.push({
        id,
        what: `flow_run_by_pk + 100 task_runs + flow { project }, 16 connections, ${label}`,
        figures: 'not measured: no PostgreSQL server (set RUNVIEW_BENCH_DATABASE_URL or RUNVIEW_TEST_DATABASE_URL)',
        baseline: '',
        ratio: null,
        target,
        met: null,
      });
      continue;
    }
    const body = JSON.stringify({
      query: print(FlowRunWithTaskRunsDocument),
      operationName: 'FlowRunWithTaskRuns',
      variables: { id: bench.run.flowRunId, taskRunLimit: 100 },
    });
    await checkAnswer(bench.server.url, body);
    ctx.log(`  ${label}: nested query, ${seconds} s`);
    if (warmup > 0) await load(bench.server.url, body, warmup);
    const nested = await load(bench.server.url, body, seconds);
    ctx.log(`  ${label}: { __typename }, ${seconds} s`);
    if (warmup > 0) await load(bench.server.url, ceilingBody, warmup);
    const ceiling = await load(bench.server.url, ceilingBody, seconds);
    const share = nested.requestsPerSecond / ceiling.requestsPerSecond;
    /** @type {import('../lib/report.mjs').Row} */
    const row = {
      id,
      what: `flow_run_by_pk + 100 task_runs + flow { project }, 16 connections, ${label}`,
      figures: figures(nested),
      baseline: `{ __typename } ${figures(ceiling)}`,
      ratio: share,
      target,
      met: ctx.judge && kind === 'postgres' ? share >= 0.5 : null,
    };
    if (ctx.profileMisses && row.met === false) {
      ctx.log(`  profiling the server under the nested load`);
      const { value, profile } = await profiled(() => load(bench.server.url, body, seconds));
      const sequential = await withStatementTiming(bench.server.server.db, async () => {
        const start = now();
        for (let index = 0; index < SEQUENTIAL; index += 1) await checkAnswer(bench.server.url, body);
        return now() - start;
      });
      row.missed = [
        `On ${label} the flow run page reached ${ratio(share)} of the \`{ __typename }\` ceiling's requests/s (target ≥ 0.5×). ` +
          `The server (this process) profiled under the same load (${figures(value)}):`,
        '',
        ...summariseProfile(profile, { label: 'Server under the nested load' }),
        '',
        `Without concurrency (${SEQUENTIAL} requests in a row on one connection): ${ms(sequential.value / SEQUENTIAL)} per request, of which ` +
          `${ms(sequential.databaseMs / SEQUENTIAL)} waiting for its ${num(sequential.statements / SEQUENTIAL, 1)} SQL statement(s) ` +
          '(the database executing it and building its JSON, the driver); the rest is HTTP, GraphQL parsing and validation, ' +
          'compiling the SQL and writing the answer. PostgreSQL builds the JSON of the 100 task runs in processes of its own, ' +
          'on the same cores, so its share of the load is not in the profile above.',
      ];
    }
    rows.push(row);
  }
  return rows;
}
