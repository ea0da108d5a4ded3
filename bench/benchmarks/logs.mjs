// @ts-check
/**
 * 2. Log streaming: every log line of one huge flow run through `iterLogs()` end to end
 * (server on a loopback port, client in its own process), beside the database's own floor
 * (the same rows through the driver, no GraphQL) and Prefect 1's single unpaged query.
 */
import { mb, ms, num, runChild, timed } from '../lib/measure.mjs';
import { profiled, summariseProfile } from '../lib/profile.mjs';
import { withStatementTiming } from '../lib/server.mjs';

export const title = 'Log streaming';

export const method =
  '**2. Log streaming.** One finished flow run with N log lines (1,000,000; `--quick`: 20,000). `iterLogs()` reads them ' +
  'all in keyset pages of 1,000 through `FlowRunView` over loopback HTTP, in a child process whose peak RSS ' +
  "(the kernel's high-water mark `VmHWM` of that process) is the client's alone; the same is run on a run of 10,000 lines " +
  '(`--quick`: 2,000) for the RSS ratio. The driver floor reads the same columns of the same rows in the same ' +
  "`(timestamp, id)` order with one SQL statement through the server's own database connection (no HTTP, no GraphQL), " +
  "twice as parsed rows and twice as rows of text (as the server reads a page); the fastest of the four reads counts. Prefect's shape is `FlowRunView.get_logs` as Prefect Core 1.x sends it: one " +
  '`flow_run { logs(order_by, where: { _and: [{ timestamp: { _lte } }, {}] }) { timestamp message level } }` request ' +
  'for everything, mapped to a list the client keeps.';

/** The columns `iterLogs` reads (FlowRunLogFields), in its order. */
const FLOOR_SQL = `select id, flow_run_id, task_run_id, timestamp, level, name, message from log
  where flow_run_id = $1 order by timestamp asc, id asc`;

const CHILD = new URL('../child/stream-logs.mjs', import.meta.url);

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @param {import('../lib/dataset.mjs').BenchRun} run
 * @param {'iterLogs' | 'unpaged'} mode
 * @param {{ profile?: boolean, limit?: number }} [options]
 */
function client(ctx, run, mode, options = {}) {
  return runChild(CHILD, { url: ctx.main.url, flowRunId: run.flowRunId, mode, endTime: run.endTime, pageSize: 1000, ...options });
}

/** Lines read under the profiler when 2a misses: enough for a steady state, far fewer than a million. */
const PROFILED_LINES = 100_000;

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @param {import('../lib/dataset.mjs').BenchRun} run
 */
async function floor(ctx, run) {
  const db = ctx.main.server.db;
  let best = Number.POSITIVE_INFINITY;
  let rows = 0;
  const statement = { sql: FLOOR_SQL, parameters: [run.flowRunId] };
  // Both ways the driver reads: rows as parsed values, and rows of text as the server reads a page.
  for (const read of [() => db.query(statement), () => db.queryTextRows(statement)]) {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { value, ms: elapsed } = await timed(read);
      rows = value.length;
      best = Math.min(best, elapsed);
    }
  }
  return { rows, ms: best, perSecond: (rows / best) * 1000 };
}

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(ctx) {
  const big = ctx.data.stream;
  const small = ctx.data.small;
  ctx.log(`  driver floor on ${num(big.logs)} rows`);
  const driver = await floor(ctx, big);
  ctx.log(`  iterLogs on ${num(big.logs)} rows`);
  const iter = await client(ctx, big, 'iterLogs');
  const iterPerSecond = (iter.count / iter.ms) * 1000;
  ctx.log(`  iterLogs on ${num(small.logs)} rows`);
  const iterSmall = await client(ctx, small, 'iterLogs');
  ctx.log(`  Prefect's unpaged query on ${num(big.logs)} rows`);
  const unpaged = await client(ctx, big, 'unpaged');
  if (iter.count !== big.logs || iterSmall.count !== small.logs || unpaged.count !== big.logs || driver.rows !== big.logs) {
    throw new Error(
      `log counts differ: iterLogs ${iter.count}/${iterSmall.count}, unpaged ${unpaged.count}, driver ${driver.rows}, expected ${big.logs}/${small.logs}`,
    );
  }
  const judged = ctx.judge;
  const throughputRatio = iterPerSecond / driver.perSecond;
  const rssRatio = iter.maxRssKb / iterSmall.maxRssKb;

  /** @type {import('../lib/report.mjs').Row} */
  const throughput = {
    id: '2a',
    what: `iterLogs() of ${num(big.logs)} logs end to end (${ctx.main.kind}, loopback HTTP, page 1,000)`,
    figures: `${num(iterPerSecond)} logs/s (${ms(iter.ms)}, ${num(iter.requests)} requests)`,
    baseline: `driver floor ${num(driver.perSecond)} rows/s (${ms(driver.ms)})`,
    ratio: throughputRatio,
    target: '≥ 0.5× the floor',
    met: judged ? throughputRatio >= 0.5 : null,
  };
  /** @type {import('../lib/report.mjs').Row} */
  const memory = {
    id: '2b',
    what: `client peak RSS of iterLogs() at ${num(big.logs)} logs`,
    figures: `${mb(iter.maxRssKb)} (heap ${mb(iter.heapUsedKb)} at the end)`,
    baseline: `${mb(iterSmall.maxRssKb)} at ${num(small.logs)} logs`,
    ratio: rssRatio,
    target: '≤ 1.2×',
    met: judged ? rssRatio <= 1.2 : null,
  };
  /** @type {import('../lib/report.mjs').Row} */
  const prefect = {
    id: '2c',
    what: `iterLogs() beside Prefect 1's single unpaged query, ${num(big.logs)} logs`,
    figures: `iterLogs ${ms(iter.ms)}, peak RSS ${mb(iter.maxRssKb)}`,
    baseline: `unpaged ${ms(unpaged.ms)}, peak RSS ${mb(unpaged.maxRssKb)} (1 request)`,
    ratio: iter.ms / unpaged.ms,
    target: 'none (baseline; ratio = time)',
    met: null,
  };

  if (ctx.profileMisses && throughput.met === false) {
    ctx.log('  profiling iterLogs (server in this process, client in its child)');
    const limit = Math.min(PROFILED_LINES, big.logs);
    const timing = await withStatementTiming(ctx.main.server.db, () => profiled(() => client(ctx, big, 'iterLogs', { profile: true, limit })));
    const { value: profiledClient, profile } = timing.value;
    throughput.missed = [
      `iterLogs() reached ${num(throughputRatio, 2)}× the driver floor's rows/s, short of 0.5×. Each page is one HTTP ` +
        'request whose SQL the server compiles and runs, whose rows it writes as JSON and the client parses, validates and maps ' +
        `to \`FlowRunLog\` objects; the floor does only the SQL. Profiled: the first ${num(limit)} lines, ${ms(profiledClient.ms)}, ` +
        `of which the server spent ${ms(timing.databaseMs)} waiting for its ${num(timing.statements)} SQL statements (the database, the driver, parsing the rows).`,
      '',
      ...summariseProfile(profile, { label: 'Server (this process: HTTP, GraphQL, SQL, database)' }),
      '',
      ...(profiledClient.profile ?? []),
    ];
  }
  if (memory.met === false) {
    memory.missed = [
      `The client's peak RSS grew ${num(rssRatio, 2)}× from ${num(small.logs)} to ${num(big.logs)} lines (target ≤ 1.2×).`,
      `At the end of the big run: heap ${mb(iter.heapUsedKb)}, external ${mb(iter.externalKb)}, array buffers ${mb(iter.arrayBuffersKb)};`,
      `of the small run: heap ${mb(iterSmall.heapUsedKb)}, external ${mb(iterSmall.externalKb)}, array buffers ${mb(iterSmall.arrayBuffersKb)}.`,
      `An idle client process starts at ${mb(iter.idleRssKb)}.`,
    ];
  }
  return [throughput, memory, prefect];
}
