// @ts-check
/**
 * 3. Deep paging: one page of 1,000 log lines far into a run, with the `(timestamp, id)`
 * keyset cursor (what `iterLogs` sends) and with `offset` paging.
 */
import { createClient, iterFlowRunLogs } from '@runview/core';
import { FlowRunLogsOffsetPageDocument } from '@runview/documents/bench';
import { median, ms, now, num, timed } from '../lib/measure.mjs';
import { profiled, summariseProfile } from '../lib/profile.mjs';
import { withStatementTiming } from '../lib/server.mjs';

export const title = 'Deep paging';

export const method =
  '**3. Deep paging.** On the log streaming run (1,000,000 lines; `--quick`: 20,000), one page of 1,000 lines ' +
  'at page 1, 100 and 1,000 (`--quick`: 1, 10, 20), each fetched over loopback HTTP by the core client: with the keyset ' +
  'cursor (`iterFlowRunLogs(client, id, { after, pageSize: 1000 })`, the cursor of the line before the page taken ' +
  'from the API) and with `offset`. Median of 7 fetches per page (`--quick`: 3), pages interleaved.';

const PAGE_SIZE = 1000;

/**
 * @param {import('@runview/core').RunviewClient} client
 * @param {string} flowRunId
 * @param {import('@runview/core').LogCursor | null} after
 */
async function keysetPage(client, flowRunId, after) {
  let count = 0;
  for await (const log of iterFlowRunLogs(client, flowRunId, { after, pageSize: PAGE_SIZE })) {
    if (log.message === undefined) throw new Error('a log line without a message');
    count += 1;
    if (count === PAGE_SIZE) break;
  }
  return count;
}

/**
 * @param {import('@runview/core').RunviewClient} client
 * @param {string} flowRunId
 * @param {number} offset
 */
async function offsetPage(client, flowRunId, offset) {
  const data = await client.query(FlowRunLogsOffsetPageDocument, { flowRunId, limit: PAGE_SIZE, offset });
  return data.log.length;
}

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(ctx) {
  const target = ctx.data.stream;
  const pages = ctx.quick ? [1, 10, 20] : [1, 100, 1000];
  const repeats = ctx.quick ? 3 : 7;
  const client = createClient({ url: ctx.main.url, retry: false, timeoutMs: 10 * 60_000 });
  try {
    /** @type {Map<number, import('@runview/core').LogCursor | null>} */
    const cursors = new Map();
    for (const page of pages) {
      if (page === 1) {
        cursors.set(page, null);
        continue;
      }
      const data = await client.query(FlowRunLogsOffsetPageDocument, { flowRunId: target.flowRunId, limit: 1, offset: (page - 1) * PAGE_SIZE - 1 });
      const before = data.log[0];
      if (!before) throw new Error(`the run has no line before page ${page}`);
      cursors.set(page, { timestamp: before.timestamp, id: before.id });
    }
    /** @type {Map<number, number[]>} */
    const keyset = new Map(pages.map((page) => [page, []]));
    /** @type {Map<number, number[]>} */
    const offset = new Map(pages.map((page) => [page, []]));
    // One unmeasured round warms the caches and the JIT.
    for (let round = 0; round <= repeats; round += 1) {
      for (const page of pages) {
        const k = await timed(() => keysetPage(client, target.flowRunId, cursors.get(page) ?? null));
        const o = await timed(() => offsetPage(client, target.flowRunId, (page - 1) * PAGE_SIZE));
        if (k.value !== PAGE_SIZE || o.value !== PAGE_SIZE) throw new Error(`page ${page}: keyset ${k.value} lines, offset ${o.value}`);
        if (round > 0) {
          keyset.get(page)?.push(k.ms);
          offset.get(page)?.push(o.ms);
        }
      }
    }
    const first = /** @type {number} */ (pages[0]);
    const last = /** @type {number} */ (pages.at(-1));
    const k = (/** @type {number} */ page) => median(keyset.get(page) ?? []);
    const o = (/** @type {number} */ page) => median(offset.get(page) ?? []);
    const deepRatio = k(last) / k(first);
    /** @type {import('../lib/report.mjs').Row} */
    const row = {
      id: '3',
      what: `one page of 1,000 logs at page ${pages.map((page) => num(page)).join(', ')} of ${num(target.logs)} (${ctx.main.kind}), keyset cursor`,
      figures: pages.map((page) => `p${num(page)} ${ms(k(page))}`).join(', '),
      baseline: `offset: ${pages.map((page) => `p${num(page)} ${ms(o(page))}`).join(', ')} (p${num(last)}/p${num(first)} ${num(o(last) / o(first), 1)}×)`,
      ratio: deepRatio,
      target: `keyset p${num(last)} ≤ 1.5× p${num(first)}`,
      met: ctx.judge ? deepRatio <= 1.5 : null,
    };
    if (ctx.profileMisses && row.met === false) {
      const cursor = cursors.get(last) ?? null;
      const timing = await withStatementTiming(ctx.main.server.db, () =>
        profiled(async () => {
          const start = now();
          for (let index = 0; index < 10; index += 1) await keysetPage(client, target.flowRunId, cursor);
          return now() - start;
        }),
      );
      const { value: elapsed, profile } = timing.value;
      row.missed = [
        `The keyset page ${num(last)} took ${num(deepRatio, 2)}× page ${num(first)} (target ≤ 1.5×). Ten fetches of that page, ${ms(elapsed)}, of which ` +
          `${ms(timing.databaseMs)} waiting for the SQL statements; profiled with the server and the client in this process:`,
        '',
        ...summariseProfile(profile, { label: `Keyset page ${num(last)} ×10` }),
      ];
    }
    return [row];
  } finally {
    client.close();
  }
}
