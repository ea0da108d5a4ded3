// @ts-check
/**
 * 7. What the cost checks cost: the same requests with the checks and without them, in one run.
 *
 * - Admission (query text nesting scan, the depth rule, the cost model) is timed in process on
 *   each request of the mix, against the same parse and validation without those checks; the
 *   difference is set against the request's whole time over loopback HTTP (median of a run of
 *   sequential requests on the same server).
 * - The row budget: Prefect Core's unpaged `get_logs` query (`FlowRunLogsUnpaged`: no limit, so
 *   every list of it is charged to the budget in the database) beside the same document with
 *   `limit`s that hold the whole answer (no budget, nothing charged), on the same run of 10,000
 *   lines, requests interleaved.
 */
import { FlowRunLogsUnpagedDocument, FlowRunWithTaskRunsDocument, TypenameDocument } from '@runview/documents/bench';
import { Kind, parse, print, specifiedRules, validate, visit } from 'graphql';
import { DEFAULT_MAX_LIMIT, DEFAULT_QUERY_LIMITS } from '@runview/server';
import { admitOperation } from '../../packages/server/dist/graphql/cost.js';
import { depthLimit } from '../../packages/server/dist/graphql/depth-limit.js';
import { nestsDeeperThan } from '../../packages/server/dist/graphql/parse-guard.js';
import { MAX_SOURCE_NESTING } from '../../packages/server/dist/graphql/limits.js';
import { buildExecutableSchema } from '../../packages/server/dist/graphql/schema.js';
import { readSchemaSource } from '../../packages/server/dist/graphql/schema-source.js';
import { createBenchRun } from '../lib/dataset.mjs';
import { median, now, num } from '../lib/measure.mjs';

export const title = 'Cost checks';

export const method =
  '**7. Cost checks.** What the hardening checks cost, with and without them in the same run, on PGlite and on PostgreSQL. ' +
  "*The cost model*, which runs on every request (graphql-yoga caches a document's parse and validation, so the query-text " +
  'nesting scan and the depth rule run once per new document): its CPU per call, timed in process on each request of a mix ' +
  "(`{ __typename }`; `FlowRunWithTaskRuns` with 100 task runs, row 4's request; `FlowRunLogsUnpaged`, Prefect Core's " +
  "`get_logs`, on 10,000 lines, `--quick`: 1,000), median of alternating batches, against the whole request's CPU in the " +
  'same process (server and loopback client) over 200 sequential requests (40 for the log read; `--quick`: 20 and 5); the ' +
  'once-per-document checks are shown beside parsing and validating without them. *The row budget*, which a list without a ' +
  '`limit` always runs under (its rows charged in the database): `FlowRunLogsUnpaged` as Prefect sends it (charged) beside ' +
  'the same document with limits that hold the whole answer (nothing charged), same run, 40 of each (`--quick`: 5), ' +
  "interleaved, medians. PGlite is judged on this process's CPU (the database runs in it, and CPU is less disturbed by " +
  "other work on the machine than wall time); PostgreSQL on wall time (the charge is counted in the database's own processes).";

/**
 * `FlowRunLogsUnpaged` with limits that hold the whole answer: one run, every line of it. The
 * document is changed as a syntax tree, so its text stays in the documents package.
 * @param {number} lines
 */
function withLimits(lines) {
  /** @param {number} value */
  const limit = (value) => ({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'limit' }, value: { kind: Kind.INT, value: String(value) } });
  return visit(FlowRunLogsUnpagedDocument, {
    Field(node) {
      if (node.name.value === 'flow_run') return { ...node, arguments: [...(node.arguments ?? []), limit(1)] };
      if (node.name.value === 'logs') return { ...node, arguments: [...(node.arguments ?? []), limit(lines)] };
      return undefined;
    },
  });
}

/** CPU time this process has used, in microseconds: less disturbed than wall time by other processes on the cores. */
function cpuMicros() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Median microseconds of CPU per call of each function, measured in alternating batches
 * (their order turned every round, the first two rounds left out as warm-up).
 * @param {(() => void)[]} fns
 * @param {{ admissionRounds: number, admissionBatch: number }} sizes
 */
function cpuPerCall(fns, { admissionRounds, admissionBatch }) {
  /** @type {number[][]} */
  const samples = fns.map(() => []);
  for (let round = 0; round < admissionRounds; round += 1) {
    const order = fns.map((_fn, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const fn = /** @type {() => void} */ (fns[index]);
      const start = cpuMicros();
      for (let call = 0; call < admissionBatch; call += 1) fn();
      samples[index]?.push((cpuMicros() - start) / admissionBatch);
    }
  }
  return samples.map((values) => median(values.slice(2)));
}

/**
 * What the checks cost: per request, the cost model (graphql-yoga caches a document's parse
 * and validation, so the text scan and the depth rule run once per document, and the cost
 * model, which reads the variables, on every request); per new document, the text scan and
 * the depth rule too, beside parsing and validating it without them.
 * @param {import('graphql').GraphQLSchema} schema
 * @param {string} text
 * @param {Record<string, unknown>} variables
 * @param {{ admissionRounds: number, admissionBatch: number }} sizes
 */
function checkMicros(schema, text, variables, sizes) {
  const depthRule = depthLimit(DEFAULT_QUERY_LIMITS.maxDepth);
  const parsed = parse(text);
  const [admission = 0, plain = 0, checked = 0] = cpuPerCall(
    [
      () => {
        const admitted = admitOperation({ schema, document: parsed, variableValues: variables }, DEFAULT_QUERY_LIMITS, DEFAULT_MAX_LIMIT);
        if ('refused' in admitted) throw new Error(admitted.refused.message);
      },
      () => {
        validate(schema, parse(text), specifiedRules);
      },
      () => {
        if (nestsDeeperThan(text, MAX_SOURCE_NESTING)) throw new Error('refused');
        validate(schema, parse(text), [...specifiedRules, depthRule]);
      },
    ],
    sizes,
  );
  return { admission, plain, checked };
}

/**
 * One request over loopback HTTP, sent `repeats` times in a row: the median wall time, and
 * this process's CPU per request (the server's, and the client's fetch beside it).
 * @param {string} url
 * @param {string} body
 * @param {number} repeats
 */
async function requestTimes(url, body, repeats) {
  /** @type {number[]} */
  const times = [];
  const cpuStart = cpuMicros();
  for (let index = 0; index < repeats; index += 1) {
    const start = now();
    const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    // A keep-alive connection left idle while the CPU figures were taken may have been closed: once more on a new one.
    const response = await send().catch(send);
    const json = /** @type {{ errors?: unknown }} */ (await response.json());
    if (!response.ok || json.errors !== undefined) throw new Error(`the request failed: ${JSON.stringify(json).slice(0, 300)}`);
    times.push(now() - start);
  }
  return { wallMs: median(times), cpuMicros: (cpuMicros() - cpuStart) / repeats };
}

/** @typedef {{ wallMs: number, cpuMicros: number }} Timing */

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(ctx) {
  const sizes = ctx.quick
    ? { logLines: 1_000, httpRepeats: 20, logRepeats: 5, admissionRounds: 6, admissionBatch: 20 }
    : { logLines: 10_000, httpRepeats: 200, logRepeats: 40, admissionRounds: 40, admissionBatch: 100 };
  const schema = buildExecutableSchema(readSchemaSource());
  /** @type {import('../lib/report.mjs').Row[]} */
  const rows = [];
  for (const kind of /** @type {const} */ (['pglite', 'postgres'])) {
    const label = kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
    const modelId = kind === 'pglite' ? '7a' : '7c';
    const budgetId = kind === 'pglite' ? '7b' : '7d';
    const bench = await ctx.serverWithRun(kind);
    if (bench === null) {
      /** @type {[string, string][]} */
      const unmeasured = [
        [modelId, `the cost model on every request, ${label}`],
        [budgetId, `the row budget on an unpaged log read, ${label}`],
      ];
      for (const [id, what] of unmeasured) {
        rows.push({
          id,
          what,
          figures: 'not measured: no PostgreSQL server (set RUNVIEW_BENCH_DATABASE_URL or RUNVIEW_TEST_DATABASE_URL)',
          baseline: '',
          ratio: null,
          target: '≤ 1.05×',
          met: null,
        });
      }
      continue;
    }
    ctx.log(`  ${label}: a run of ${num(sizes.logLines)} log lines`);
    const logRun = await createBenchRun(bench.server.server.db, bench.flow, { logs: sizes.logLines, name: `bench-cost-${kind}` });
    const url = bench.server.url;
    /** @type {[string, string, Record<string, unknown>][]} */
    const mix = [
      ['`{ __typename }`', print(TypenameDocument), {}],
      ['`FlowRunWithTaskRuns`, 100 task runs', print(FlowRunWithTaskRunsDocument), { id: bench.run.flowRunId, taskRunLimit: 100 }],
      [`\`FlowRunLogsUnpaged\`, ${num(sizes.logLines)} lines`, print(FlowRunLogsUnpagedDocument), { flowRunId: logRun.flowRunId, endTime: logRun.endTime }],
    ];
    /** @type {{ name: string, micros: ReturnType<typeof checkMicros>, whole: Timing }[]} */
    const measured = [];
    for (const [name, text, variables] of mix) {
      ctx.log(`  ${label}: ${name}`);
      const micros = checkMicros(schema, text, variables, sizes);
      const body = JSON.stringify({ query: text, variables });
      const repeats = name.includes('FlowRunLogs') ? sizes.logRepeats : sizes.httpRepeats;
      await requestTimes(url, body, Math.ceil(repeats / 4));
      measured.push({ name, micros, whole: await requestTimes(url, body, repeats) });
    }
    const share = (/** @type {(typeof measured)[number]} */ entry) => entry.micros.admission / entry.whole.cpuMicros;
    const worst = measured.reduce((a, b) => (share(b) > share(a) ? b : a));
    rows.push({
      id: modelId,
      what: `the cost model on every request, ${label} (worst of ${measured.length} requests)`,
      figures: `${worst.name}: ${num(worst.micros.admission, 1)} µs CPU per request (${num(share(worst) * 100, 2)}% of it)`,
      baseline: `the whole request: ${num(worst.whole.cpuMicros / 1000, 2)} ms CPU (wall median ${num(worst.whole.wallMs, 2)} ms)`,
      ratio: 1 + share(worst),
      target: '≤ 1.05×',
      met: ctx.judge ? share(worst) <= 0.05 : null,
      details: [
        '| request | cost model per request | request CPU (wall median) | share | once per new document: text scan + depth rule (parse + validate) |',
        '|---|---|---|---|---|',
        ...measured.map(
          (entry) =>
            `| ${entry.name} | ${num(entry.micros.admission, 1)} µs | ${num(entry.whole.cpuMicros / 1000, 2)} ms (${num(entry.whole.wallMs, 2)} ms) | ` +
            `${num(share(entry) * 100, 2)}% | ${num(entry.micros.checked - entry.micros.plain, 1)} µs (${num(entry.micros.plain, 1)} µs) |`,
        ),
      ],
    });

    ctx.log(`  ${label}: the row budget, ${sizes.logRepeats} charged and uncharged reads, interleaved`);
    const variables = { flowRunId: logRun.flowRunId, endTime: logRun.endTime };
    const charged = JSON.stringify({ query: print(FlowRunLogsUnpagedDocument), variables });
    const uncharged = JSON.stringify({ query: print(withLimits(sizes.logLines)), variables });
    await requestTimes(url, charged, 3);
    await requestTimes(url, uncharged, 3);
    /** @type {Timing[]} */
    const withBudget = [];
    /** @type {Timing[]} */
    const withoutBudget = [];
    for (let index = 0; index < sizes.logRepeats; index += 1) {
      withBudget.push(await requestTimes(url, charged, 1));
      withoutBudget.push(await requestTimes(url, uncharged, 1));
    }
    /** @param {Timing[]} runs */
    const medians = (runs) => ({ wall: median(runs.map((timing) => timing.wallMs)), cpu: median(runs.map((timing) => timing.cpuMicros)) / 1000 });
    const a = medians(withBudget);
    const b = medians(withoutBudget);
    const judged = kind === 'pglite' ? a.cpu / b.cpu : a.wall / b.wall;
    rows.push({
      id: budgetId,
      what: `the row budget on Prefect's unpaged log read (${num(sizes.logLines)} lines), ${label}, judged on ${kind === 'pglite' ? 'CPU' : 'wall time'}`,
      figures: `charged: CPU ${num(a.cpu, 2)} ms, wall ${num(a.wall, 1)} ms`,
      baseline: `uncharged (limits that hold the answer): CPU ${num(b.cpu, 2)} ms, wall ${num(b.wall, 1)} ms`,
      ratio: judged,
      target: '≤ 1.05×',
      met: ctx.judge ? judged <= 1.05 : null,
      details: [`CPU ${signed((a.cpu / b.cpu - 1) * 100)}, wall ${signed((a.wall / b.wall - 1) * 100)} (medians of ${sizes.logRepeats} of each, interleaved).`],
    });
  }
  return rows;
}

/** @param {number} percent */
function signed(percent) {
  return `${percent >= 0 ? '+' : '−'}${num(Math.abs(percent), 1)}%`;
}
