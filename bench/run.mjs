// @ts-check
/**
 * `npm run bench`: every benchmark in one run on one machine, each printing one row (what it
 * measured, the figures, the baseline measured in the same run, the ratio, the target), then
 * bench/RESULTS.md. `--quick` runs small data sets in seconds to keep the harness working; it
 * judges nothing and writes no results unless `--out` says where.
 *
 *   node bench/run.mjs [--quick [--judge]] [--only 1,2,3] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as build from './benchmarks/build.mjs';
import * as bundle from './benchmarks/bundle.mjs';
import * as cost from './benchmarks/cost.mjs';
import * as logs from './benchmarks/logs.mjs';
import * as paging from './benchmarks/paging.mjs';
import * as requests from './benchmarks/requests.mjs';
import * as throughput from './benchmarks/throughput.mjs';
import * as watch from './benchmarks/watch.mjs';
import { postgresUrl, postgresVersion } from './lib/backend.mjs';
import { createBenchFlow, createBenchRun } from './lib/dataset.mjs';
import { ms, now, num } from './lib/measure.mjs';
import { formatLine, machine, renderResults } from './lib/report.mjs';
import { startBenchServer } from './lib/server.mjs';

/**
 * @typedef {object} BenchContext
 * @property {boolean} quick Small data sets.
 * @property {boolean} judge Judge the targets (not in quick mode, unless `--judge`: to try the harness's profiling).
 * @property {boolean} profileMisses Profile a missed target to say where the time goes.
 * @property {(message: string) => void} log Progress, to stderr.
 * @property {import('./lib/server.mjs').BenchServer} main The server of rows 1-3 and 5 (demo data seeded).
 * @property {import('./lib/dataset.mjs').BenchFlow} flow The flow of the main server's data sets.
 * @property {{ inspect: import('./lib/dataset.mjs').BenchRun, stream: import('./lib/dataset.mjs').BenchRun, small: import('./lib/dataset.mjs').BenchRun }} data
 * @property {() => Promise<string>} listening The main server's own `listen()` (live subscriptions included): its GraphQL URL.
 * @property {(kind: import('./lib/backend.mjs').BackendKind) => Promise<{ server: import('./lib/server.mjs').BenchServer, flow: import('./lib/dataset.mjs').BenchFlow, run: import('./lib/dataset.mjs').BenchRun } | null>} serverWithRun
 *   A server on that backend holding a run with 1,000 task runs (and the flow it is a run of), or null when the backend is unavailable.
 */

/**
 * @typedef {object} Benchmark
 * @property {string} title
 * @property {string} method
 * @property {(ctx: BenchContext) => Promise<import('./lib/report.mjs').Row[]>} run
 * @property {boolean} [fullOnly]
 */

/** @type {readonly [number, Benchmark][]} */
const BENCHMARKS = [
  [1, requests],
  [2, logs],
  [3, paging],
  [4, throughput],
  [5, watch],
  [6, build],
  [7, cost],
  [8, bundle],
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    judge: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = values.quick === true;
const judge = !quick || values.judge === true;
const only = values.only === undefined ? null : new Set(values.only.split(',').map((part) => Number(part.trim())));
const selected = BENCHMARKS.filter(([number, benchmark]) => (only === null || only.has(number)) && !(quick && benchmark.fullOnly));
const out = values.out ?? (quick || only !== null ? undefined : new URL('RESULTS.md', import.meta.url).pathname);

/** @param {string} message */
function log(message) {
  process.stderr.write(`${message}\n`);
}

const started = now();
const pgUrl = postgresUrl();
const mainKind = pgUrl === undefined ? 'pglite' : 'postgres';
const databaseLabel =
  pgUrl === undefined
    ? 'PGlite (embedded PostgreSQL, in memory)'
    : `${await postgresVersion(pgUrl)} on loopback (RUNVIEW_*_DATABASE_URL), a fresh database per server`;
const m = machine();
log(`bench${quick ? ' --quick' : ''}: ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}; rows 1-3 and 5 on ${databaseLabel}`);

const sizes = {
  inspect: { taskRuns: 1000, logs: 10_000 },
  stream: { taskRuns: 0, logs: quick ? 20_000 : 1_000_000 },
  small: { taskRuns: 0, logs: quick ? 2_000 : 10_000 },
};

/** @type {(() => Promise<void>)[]} */
const cleanups = [];
// Prefect's unpaged log query (row 2) reads every line of a run in one list: the default limits
// cap a list without a limit at maxLimit and an answer at maxRows, so this server allows the
// stream run's size.
const main = await startBenchServer(mainKind, { seed: 'demo', maxLimit: sizes.stream.logs, queryLimits: { maxRows: 2 * sizes.stream.logs } });
cleanups.push(() => main.close());

let exitCode = 0;
/** @type {import('./lib/report.mjs').Row[]} */
const rows = [];
try {
  const setup = now();
  const flow = await createBenchFlow(main.server.db);
  const needsStream = selected.some(([number]) => number === 2 || number === 3);
  const data = {
    inspect: await createBenchRun(main.server.db, flow, { ...sizes.inspect, name: 'bench-inspect' }),
    stream: needsStream
      ? await createBenchRun(main.server.db, flow, { ...sizes.stream, name: 'bench-stream' })
      : { flowRunId: '', taskRuns: 0, logs: 0, endTime: '' },
    small: needsStream
      ? await createBenchRun(main.server.db, flow, { ...sizes.small, name: 'bench-stream-small' })
      : { flowRunId: '', taskRuns: 0, logs: 0, endTime: '' },
  };
  log(
    `data sets ready in ${ms(now() - setup)} (${needsStream ? `${num(sizes.stream.logs)} + ` : ''}${num(sizes.inspect.logs)} logs, ${num(sizes.inspect.taskRuns)} task runs)`,
  );

  /** @type {Promise<string> | undefined} */
  let listeningUrl;
  /** @type {Map<string, { server: import('./lib/server.mjs').BenchServer, flow: import('./lib/dataset.mjs').BenchFlow, run: import('./lib/dataset.mjs').BenchRun } | null>} */
  const others = new Map();
  /** @type {BenchContext} */
  const ctx = {
    quick,
    judge,
    profileMisses: judge,
    log,
    main,
    flow,
    data,
    async listening() {
      listeningUrl ??= main.server.listen(0, '127.0.0.1').then((address) => address.url);
      return listeningUrl;
    },
    async serverWithRun(kind) {
      if (kind === main.kind) return { server: main, flow, run: data.inspect };
      if (kind === 'postgres' && pgUrl === undefined) return null;
      const known = others.get(kind);
      if (known !== undefined) return known;
      const server = await startBenchServer(kind);
      cleanups.push(() => server.close());
      const otherFlow = await createBenchFlow(server.server.db);
      const entry = { server, flow: otherFlow, run: await createBenchRun(server.server.db, otherFlow, { taskRuns: sizes.inspect.taskRuns, logs: 0 }) };
      others.set(kind, entry);
      return entry;
    },
  };

  for (const [number, benchmark] of selected) {
    log(`\n${number}. ${benchmark.title}`);
    const start = now();
    try {
      const result = await benchmark.run(ctx);
      for (const row of result) {
        rows.push(row);
        console.log(formatLine(row));
      }
    } catch (error) {
      exitCode = 1;
      const message = error instanceof Error ? error.message : String(error);
      log(`${number}. ${benchmark.title} FAILED: ${message}`);
      if (error instanceof Error && error.stack) log(error.stack);
      rows.push({ id: String(number), what: benchmark.title, figures: `failed: ${message.split('\n')[0]}`, baseline: '', ratio: null, target: '', met: null });
    }
    log(`   (${ms(now() - start)})`);
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`cleanup: ${String(error)}`));
}

const wallMs = now() - started;
log(`\n${rows.filter((row) => row.met === false).length} of ${rows.filter((row) => row.met !== null).length} judged targets missed; ${ms(wallMs)} in all.`);
if (out !== undefined) {
  const notes = [];
  if (pgUrl === undefined) notes.push('PostgreSQL: no server was configured (RUNVIEW_BENCH_DATABASE_URL or RUNVIEW_TEST_DATABASE_URL), so row 4b did not run.');
  for (const [number, benchmark] of BENCHMARKS)
    if (!selected.some(([n]) => n === number)) notes.push(`${number}. ${benchmark.title}: not selected in this run.`);
  writeFileSync(
    out,
    renderResults({
      rows,
      database: `rows 1-3 and 5: ${databaseLabel}; row 4: PGlite and ${pgUrl === undefined ? '(no PostgreSQL)' : 'PostgreSQL'}`,
      date: new Date().toISOString().slice(0, 10),
      wallMs,
      method: selected.map(([, benchmark]) => benchmark.method),
      notes,
    }),
  );
  log(`wrote ${out}`);
}
process.exitCode = exitCode;
