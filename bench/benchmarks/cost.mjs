// @ts-check
/**
 * What the cost checks cost, in one run: the same requests with the checks and without them.
 *
 * - Admission (query text nesting scan, the depth rule, the cost model) is timed in process on
 *   each request of the mix, against the same parse and validation without those checks; the
 *   difference is set against the request's whole time over loopback HTTP (median of a run of
 *   sequential requests on the same server).
 * - The row budget: Prefect Core's unpaged `get_logs` query (`FlowRunLogsUnpaged`: no limit, so
 *   every list of it is charged to the budget in the database) beside the same document with
 *   `limit`s that hold the whole answer (no budget, nothing charged), on the same run of 10,000
 *   lines, requests interleaved.
 *
 * Not a row of `run.mjs`: `node bench/benchmarks/cost.mjs [--quick]`, after a build. Prints
 * one line per figure; the results are copied into bench/RESULTS.md by hand.
 */
import { FlowRunLogsUnpagedDocument, FlowRunWithTaskRunsDocument, TypenameDocument } from '@runview/documents';
import { Kind, parse, print, specifiedRules, validate, visit } from 'graphql';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_LIMIT, DEFAULT_QUERY_LIMITS } from '@runview/server';
import { admitOperation } from '../../packages/server/dist/graphql/cost.js';
import { depthLimit } from '../../packages/server/dist/graphql/depth-limit.js';
import { nestsDeeperThan } from '../../packages/server/dist/graphql/parse-guard.js';
import { MAX_SOURCE_NESTING } from '../../packages/server/dist/graphql/limits.js';
import { buildExecutableSchema } from '../../packages/server/dist/graphql/schema.js';
import { readSchemaSource } from '../../packages/server/dist/graphql/schema-source.js';
import { postgresUrl } from '../lib/backend.mjs';
import { createBenchFlow, createBenchRun } from '../lib/dataset.mjs';
import { median, now, num } from '../lib/measure.mjs';
import { startBenchServer } from '../lib/server.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick === true;
const LOG_LINES = quick ? 1_000 : 10_000;
const TASK_RUNS = 100;
const HTTP_REPEATS = quick ? 20 : 200;
const LOG_REPEATS = quick ? 5 : 40;
const ADMISSION_ROUNDS = quick ? 6 : 40;
const ADMISSION_BATCH = quick ? 20 : 100;

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
 */
function cpuPerCall(fns) {
  /** @type {number[][]} */
  const samples = fns.map(() => []);
  for (let round = 0; round < ADMISSION_ROUNDS; round += 1) {
    const order = fns.map((_fn, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const fn = /** @type {() => void} */ (fns[index]);
      const start = cpuMicros();
      for (let call = 0; call < ADMISSION_BATCH; call += 1) fn();
      samples[index]?.push((cpuMicros() - start) / ADMISSION_BATCH);
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
 */
function checkMicros(schema, text, variables) {
  const depthRule = depthLimit(DEFAULT_QUERY_LIMITS.maxDepth);
  const parsed = parse(text);
  const [admission = 0, plain = 0, checked = 0] = cpuPerCall([
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
  ]);
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

const schema = buildExecutableSchema(readSchemaSource());
/** @type {import('../lib/backend.mjs').BackendKind[]} */
const kinds = postgresUrl() === undefined ? ['pglite'] : ['pglite', 'postgres'];
for (const kind of kinds) {
  const bench = await startBenchServer(kind);
  try {
    const flow = await createBenchFlow(bench.server.db);
    const run = await createBenchRun(bench.server.db, flow, { taskRuns: TASK_RUNS, logs: LOG_LINES });
    /** @type {[string, string, Record<string, unknown>][]} */
    const mix = [
      ['{ __typename }', print(TypenameDocument), {}],
      ['FlowRunWithTaskRuns (100 task runs)', print(FlowRunWithTaskRunsDocument), { id: run.flowRunId, taskRunLimit: TASK_RUNS }],
      [`FlowRunLogsUnpaged (${num(LOG_LINES)} lines)`, print(FlowRunLogsUnpagedDocument), { flowRunId: run.flowRunId, endTime: run.endTime }],
    ];
    for (const [name, text, variables] of mix) {
      const micros = checkMicros(schema, text, variables);
      const body = JSON.stringify({ query: text, variables });
      const repeats = name.startsWith('FlowRunLogs') ? LOG_REPEATS : HTTP_REPEATS;
      await requestTimes(bench.url, body, Math.ceil(repeats / 4));
      const whole = await requestTimes(bench.url, body, repeats);
      console.log(
        `${kind} ${name}: the cost model ${num(micros.admission, 1)} µs CPU per request, ${num((micros.admission / whole.cpuMicros) * 100, 2)}% of the request's ` +
          `${num(whole.cpuMicros / 1000, 2)} ms CPU in this process (wall median ${num(whole.wallMs, 2)} ms); a new document's text scan and depth rule ` +
          `${num(micros.checked - micros.plain, 1)} µs once (parse and validate ${num(micros.plain, 1)} µs)`,
      );
    }
    // The row budget's charge in the database: interleaved, so load drifts hit both alike.
    const charged = JSON.stringify({ query: print(FlowRunLogsUnpagedDocument), variables: { flowRunId: run.flowRunId, endTime: run.endTime } });
    const uncharged = JSON.stringify({ query: print(withLimits(LOG_LINES)), variables: { flowRunId: run.flowRunId, endTime: run.endTime } });
    await requestTimes(bench.url, charged, 3);
    await requestTimes(bench.url, uncharged, 3);
    /** @type {{ wallMs: number, cpuMicros: number }[]} */
    const withBudget = [];
    /** @type {{ wallMs: number, cpuMicros: number }[]} */
    const withoutBudget = [];
    for (let index = 0; index < LOG_REPEATS; index += 1) {
      withBudget.push(await requestTimes(bench.url, charged, 1));
      withoutBudget.push(await requestTimes(bench.url, uncharged, 1));
    }
    /** @param {{ wallMs: number, cpuMicros: number }[]} runs */
    const medians = (runs) => ({ wall: median(runs.map((run) => run.wallMs)), cpu: median(runs.map((run) => run.cpuMicros)) / 1000 });
    const a = medians(withBudget);
    const b = medians(withoutBudget);
    console.log(
      `${kind} row budget on FlowRunLogsUnpaged (${num(LOG_LINES)} lines, ${LOG_REPEATS} of each, interleaved): charged wall ${num(a.wall, 2)} ms, CPU here ${num(a.cpu, 2)} ms; ` +
        `uncharged wall ${num(b.wall, 2)} ms, CPU here ${num(b.cpu, 2)} ms; wall ${num((a.wall / b.wall - 1) * 100, 1)}%, CPU ${num((a.cpu / b.cpu - 1) * 100, 1)}%`,
    );
  } finally {
    await bench.close();
  }
}
