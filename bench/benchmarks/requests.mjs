// @ts-check
/**
 * 1. Requests per inspection: HTTP requests counted by the client (and, for the CLI in its own
 * process, by the server), beside Prefect Core 1.x's plan for the same calls.
 */
import { spawn } from 'node:child_process';
import { createClient, FlowRunView, inspectFlowRun } from '@runview/core';

/** The seed document's reference run (its examples use this id). */
const REFERENCE_RUN = '4c0101af-c6bb-4b96-8661-63a5bbfb5596';

export const title = 'Requests per inspection';

export const method =
  "**1. Requests per inspection.** HTTP requests counted by the client's request hook (`requestCount`), and by the " +
  "server for the CLI, which runs as a child process. Prefect's plan is what Prefect Core 1.x's `prefect.backend` " +
  'sends for the same calls (one query each): `from_flow_run_id` 1, `state` 0, `get_logs` 1, `get_flow_metadata` 1 ' +
  '(0 once cached), `get_task_run` 1, `get_task_run_ids` 1; `get_latest` 1. For `inspect` (which Prefect has no ' +
  'single call for) the plan is the calls that gather the same facts: `from_flow_run_id`, `get_flow_metadata`, ' +
  "`get_task_run_ids` + `get_all_task_runs` (the children's states) and `get_logs`: 5.";

/**
 * @param {import('@runview/core').RunviewClient} client
 * @param {() => Promise<unknown>} step
 */
async function requestsOf(client, step) {
  const before = client.requestCount;
  await step();
  return client.requestCount - before;
}

/**
 * The CLI's `inspect` as a child process; resolves with its exit code.
 *
 * @param {string} url
 * @param {string} flowRunId
 * @returns {Promise<number>}
 */
function runCliInspect(url, flowRunId) {
  const bin = new URL('../../apps/cli/dist/bin.js', import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--endpoint', url, '--json', 'inspect', flowRunId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`runview inspect exited with ${code}: ${stderr.trim().slice(-1000)}`));
        return;
      }
      try {
        JSON.parse(stdout);
      } catch {
        reject(new Error(`runview inspect --json printed no JSON: ${stdout.slice(0, 300)}`));
        return;
      }
      resolve(0);
    });
  });
}

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(ctx) {
  const client = createClient({ url: ctx.main.url, retry: false });
  try {
    // The seed's walk-through on its reference run.
    /** @type {FlowRunView | undefined} */
    let view;
    const steps = [
      { name: 'fromFlowRunId', prefect: 1, run: async () => (view = await FlowRunView.fromFlowRunId(REFERENCE_RUN, { client })) },
      { name: 'state', prefect: 0, run: async () => [view?.state.isFinished(), view?.state.isRunning(), view?.state.message] },
      { name: 'getLogs', prefect: 1, run: async () => view?.getLogs() },
      { name: 'getFlowMetadata', prefect: 1, run: async () => view?.getFlowMetadata() },
      { name: 'getFlowMetadata again', prefect: 0, run: async () => view?.getFlowMetadata() },
      { name: "getTaskRun({ taskSlug: 'say_hello-1' })", prefect: 1, run: async () => view?.getTaskRun({ taskSlug: 'say_hello-1' }) },
      { name: 'getTaskRunIds', prefect: 1, run: async () => view?.getTaskRunIds() },
    ];
    /** @type {number[]} */
    const counts = [];
    for (const step of steps) counts.push(await requestsOf(client, step.run));
    const ours = counts.reduce((a, b) => a + b, 0);
    const prefect = steps.reduce((sum, step) => sum + step.prefect, 0);
    const perStep = steps.map((step, index) => `${step.name} ${counts[index]}`).join(', ');

    // getLatest() of a finished run whose finished task runs are cached.
    const big = ctx.data.inspect;
    const loaded = await FlowRunView.fromFlowRunId(big.flowRunId, { client, loadStaticTasks: true });
    const cached = loaded.cachedTaskRuns.length;
    const slug = loaded.cachedTaskRuns.find((taskRun) => taskRun.taskSlug !== null)?.taskSlug ?? 'step_1-1';
    const latestRequests = await requestsOf(client, async () => {
      const latest = await loaded.getLatest();
      await latest.getTaskRun({ taskSlug: slug });
    });

    // inspect: the core helper in process, then the CLI in its own process.
    const helperRequests = await requestsOf(client, () => inspectFlowRun(big.flowRunId, { client }));
    const before = ctx.main.requests();
    await runCliInspect(ctx.main.url, big.flowRunId);
    const cliRequests = ctx.main.requests() - before;
    const judged = ctx.judge;
    return [
      {
        id: '1a',
        what: 'seed walk-through (fromFlowRunId, state, getLogs, getFlowMetadata ×2, getTaskRun, getTaskRunIds), HTTP requests',
        figures: `${ours} (${perStep})`,
        baseline: `Prefect 1.x plan: ${prefect}`,
        ratio: ours / prefect,
        target: `≤ ${prefect} (Prefect's plan)`,
        met: judged ? ours <= prefect : null,
      },
      {
        id: '1b',
        what: `getLatest() of a finished run with ${cached} cached task runs, then getTaskRun of a cached slug, HTTP requests`,
        figures: String(latestRequests),
        baseline: 'Prefect 1.x plan: 1 (get_latest; the cached task run costs 0)',
        ratio: latestRequests / 1,
        target: '≤ 1',
        met: judged ? latestRequests <= 1 : null,
      },
      {
        id: '1c',
        what: `runview inspect of a run with ${big.taskRuns.toLocaleString('en-US')} task runs and ${big.logs.toLocaleString('en-US')} logs, HTTP requests`,
        figures: `CLI ${cliRequests}, inspectFlowRun ${helperRequests}`,
        baseline: 'Prefect 1.x plan: 5',
        ratio: cliRequests / 5,
        target: '≤ 2 (and ≤ Prefect)',
        met: judged ? cliRequests <= 2 && helperRequests <= 2 : null,
      },
    ];
  } finally {
    client.close();
  }
}
