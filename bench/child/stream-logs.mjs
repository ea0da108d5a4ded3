// @ts-check
/**
 * The client side of the log streaming benchmark, in a process of its own so that its peak
 * RSS is the client's alone: reads every log line of one flow run, either with `iterLogs()`
 * (keyset pages, nothing kept) or with Prefect 1's single unpaged query (the whole list kept,
 * as `get_logs` returns it). Prints one JSON line with the figures.
 */
import { readFileSync } from 'node:fs';
import { createClient, FlowRunView, levelNumber } from '@runview/core';
import { FlowRunLogsUnpagedDocument } from '@runview/documents/bench';
import { now } from '../lib/measure.mjs';
import { profiled, summariseProfile } from '../lib/profile.mjs';

/** @type {{ url: string, flowRunId: string, mode: 'iterLogs' | 'unpaged', endTime: string, pageSize: number, profile?: boolean, limit?: number }} */
const input = JSON.parse(process.argv[2] ?? '{}');
const idleRssKb = process.memoryUsage().rss / 1024;

// Sampled as a fallback where /proc is missing. `resourceUsage().maxRSS` is no use here: Linux
// carries the parent's peak across fork and exec, so a child reports at least the parent's.
let sampledPeakKb = idleRssKb;
const sampler = setInterval(() => {
  sampledPeakKb = Math.max(sampledPeakKb, process.memoryUsage.rss() / 1024);
}, 10);

/** This process's peak RSS in KB: the kernel's high-water mark of its own address space. */
function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]);
  } catch {
    // not Linux: the sampled peak
  }
  return Math.max(sampledPeakKb, process.memoryUsage.rss() / 1024);
}
const client = createClient({ url: input.url, retry: false, timeoutMs: 60 * 60_000 });

async function iterLogs() {
  const view = await FlowRunView.fromFlowRunId(input.flowRunId, { client });
  let count = 0;
  let characters = 0;
  for await (const log of view.iterLogs({ pageSize: input.pageSize })) {
    count += 1;
    characters += log.message.length;
    if (count === input.limit) break;
  }
  return { count, characters };
}

async function unpaged() {
  const data = await client.query(FlowRunLogsUnpagedDocument, { flowRunId: input.flowRunId, endTime: input.endTime });
  const rows = data.flow_run[0]?.logs ?? [];
  // Prefect's get_logs maps every row to a FlowRunLog and returns the whole list.
  const logs = rows.map((row) => ({ timestamp: new Date(row.timestamp), level: levelNumber(row.level), message: row.message ?? '' }));
  let characters = 0;
  for (const log of logs) characters += log.message.length;
  return { count: logs.length, characters };
}

const work = input.mode === 'iterLogs' ? iterLogs : unpaged;
const start = now();
let result;
/** @type {string[] | undefined} */
let profile;
if (input.profile) {
  const { value, profile: cpu } = await profiled(work);
  result = value;
  profile = summariseProfile(cpu, { label: `Client (${input.mode}, child process)` });
} else {
  result = await work();
}
const ms = now() - start;
const memory = process.memoryUsage();
clearInterval(sampler);
client.close();
console.log(
  JSON.stringify({
    ...result,
    ms,
    requests: client.requestCount,
    idleRssKb,
    maxRssKb: peakRssKb(),
    heapUsedKb: memory.heapUsed / 1024,
    externalKb: memory.external / 1024,
    arrayBuffersKb: memory.arrayBuffers / 1024,
    profile,
  }),
);
