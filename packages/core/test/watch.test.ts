// Watching a flow run over polling against a real server: a simulated run from Scheduled to
// Success yields every state, log line and task-run change once, in order, and then ends by
// itself; timeouts, aborts and agent messages behave as Prefect's watch does.
import { startSimulatedFlowRun } from '@runview/server';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  checkForCompatibleAgents,
  FlowRunView,
  formatStateEntered,
  formatWatchEvent,
  NotFoundError,
  TimeoutError,
  watchFlowRun,
  type WatchEvent,
} from '../src/index.js';
import { collect, expectedSignatures, signature } from './support/run-history.js';
import { DEMO, KEYS, sharedServer, type TestServer } from './support/server.js';
import { useVirtualClock } from './support/virtual-clock.js';

let server: TestServer;

beforeAll(async () => {
  server = await sharedServer();
});

describe('watchFlowRun over polling', () => {
  it('yields a simulated run from Scheduled to Success, every state, log and task run change once, in order, and ends by itself', async () => {
    const client = server.client({ retry: true });
    const run = await startSimulatedFlowRun({ url: server.url, apiKey: KEYS.writer, stepMs: 30, taskCount: 3, logsPerTask: 2 });
    const watch = watchFlowRun(run.flowRunId, { client, live: false, pollIntervalMs: 100, drainMs: 1500 });
    const { events, final } = await collect(watch, watch.result);
    expect(await run.done).toBe('Success');
    expect(watch.transport).toBe('poll');
    const expected = await expectedSignatures(server.server, run.flowRunId);
    expect(events.map(signature)).toEqual(expected);
    // The run's life, as Prefect prints it.
    const states = events
      .filter((event): event is Extract<WatchEvent, { type: 'state' }> => event.type === 'state')
      .map((event) => formatStateEntered(event.state));
    expect(states[0]).toMatch(/^Entered state <Scheduled>: /);
    expect(states.at(-1)).toBe('Entered state <Success>: All reference tasks succeeded.');
    expect(events.filter((event) => event.type === 'taskRun').length).toBeGreaterThanOrEqual(3 * 2 + 2);
    // The line written after the final state was drained.
    const last = events.at(-1);
    expect(last?.type).toBe('log');
    expect(last === undefined ? null : formatWatchEvent(last)).toBe('Flow run finished; the runner is shutting down.');
    expect(final).toBeInstanceOf(FlowRunView);
    expect(final.state.type).toBe('Success');
  });

  it('yields the history of a finished run, in order, and returns the final view from the iterator', async () => {
    const client = server.client();
    const iterator = watchFlowRun(DEMO.reference, { client, live: false, pollIntervalMs: 50 })[Symbol.asyncIterator]();
    const events: WatchEvent[] = [];
    for (;;) {
      const step = await iterator.next();
      if (step.done === true) {
        expect(step.value.flowRunId).toBe(DEMO.reference);
        break;
      }
      events.push(step.value);
    }
    expect(events.map(signature)).toEqual(await expectedSignatures(server.server, DEMO.reference));
    expect(events.filter((event) => event.type === 'state').map((event) => formatWatchEvent(event))).toEqual([
      'Entered state <Scheduled>: Flow run scheduled.',
      'Entered state <Submitted>: Submitted for execution',
      'Entered state <Running>: Running flow.',
      'Entered state <Success>: All reference tasks succeeded.',
    ]);
  });

  it('streams only what is asked for, and the view it started from hands its cached task runs to the final one', async () => {
    const client = server.client();
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client, loadStaticTasks: true });
    const watch = view.watch({ live: false, streamLogs: false, streamTaskRuns: false, pollIntervalMs: 50 });
    const { events, final } = await collect(watch, watch.result);
    expect(events.map((event) => event.type)).toEqual(['state', 'state', 'state', 'state']);
    expect(final.flowRunId).toBe(view.flowRunId);
    expect(final).not.toBe(view);
    expect(view.cachedTaskRuns.length).toBeGreaterThan(0);
    expect(final.cachedTaskRuns.map((taskRun) => taskRun.taskRunId)).toEqual(view.cachedTaskRuns.map((taskRun) => taskRun.taskRunId));
  });

  it('ends with a TimeoutError that names the state the run is still in', async () => {
    const client = server.client();
    // Time runs on a clock that moves on only while the watch waits to poll: the timeout falls
    // in such a wait, after the first answer however slow the machine is, and costs no wall time.
    const clock = useVirtualClock();
    try {
      const watch = watchFlowRun(DEMO.running, { client, live: false, pollIntervalMs: 1000, timeoutMs: 5_000 });
      const seen: WatchEvent[] = [];
      const error = await (async () => {
        for await (const event of watch) seen.push(event);
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toMatch(/timed out after 5000 ms; it is still in state <Running/);
      await expect(watch.result).rejects.toBeInstanceOf(TimeoutError);
      expect(seen.some((event) => event.type === 'state')).toBe(true);
      expect(clock.elapsed()).toBe(5_000);
      // A poll a second: the first read, and one after each of the four waits before the timeout.
      expect(client.requestCount).toBe(5);
    } finally {
      clock.restore();
    }
  });

  it('stops cleanly with an AbortError when the signal fires', async () => {
    const client = server.client();
    const controller = new AbortController();
    const watch = watchFlowRun(DEMO.running, { client, live: false, pollIntervalMs: 10_000, signal: controller.signal });
    const error = (async () => {
      for await (const event of watch) if (event.type === 'state') controller.abort();
    })().catch((caught: unknown) => caught);
    expect(await error).toBeInstanceOf(AbortError);
    await expect(watch.result).rejects.toBeInstanceOf(AbortError);
  });

  it('reports a run that does not exist as NotFoundError', async () => {
    const watch = watchFlowRun('00000000-0000-4000-8000-000000000123', { client: server.client(), live: false });
    await expect(collect(watch, watch.result)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("Prefect's agent warnings", () => {
  const LOCAL = 'f926b0ac-51ab-49f2-8b28-9d788ff19950';
  const K8S = 'e6bfe47a-040a-4f6d-8aeb-e93da75760d7';
  // The demo's agents: local-agent ['etl'] last asked at 08:00:30 on 2021-05-15,
  // k8s-agent ['etl', 'k8s', 'prod'] at 09:59:00 on 2021-05-14.
  const cases: readonly [string, readonly string[], string, string | RegExp][] = [
    [
      'one healthy match',
      ['etl'],
      '2021-05-15T08:01:00Z',
      `Agent ${LOCAL} (local-agent) has matching labels and last queried 30 seconds ago. It should deploy your flow run.`,
    ],
    ['several healthy matches', ['etl'], '2021-05-14T09:59:30Z', 'Found 2 healthy agents with matching labels. One of them should pick up your flow.'],
    [
      'no healthy agent and no match',
      ['gpu'],
      '2030-01-01T00:00:00Z',
      "There are no healthy agents in your tenant and it does not look like an agent with the required labels has been run recently. Start an agent with labels {'gpu'} to run your flow.",
    ],
    [
      'one unhealthy match',
      ['k8s'],
      '2021-05-15T08:01:00Z',
      `Agent ${K8S} (k8s-agent) has matching labels and last queried 22 hours ago. Since it hasn't queried recently, it looks unhealthy. Restart it or start a new agent with labels {'k8s'} to deploy your flow run.`,
    ],
    [
      'several unhealthy matches',
      ['etl'],
      '2030-01-01T00:00:00Z',
      "Found 2 agents with matching labels but they have not queried recently and look unhealthy. Restart one of them or start a new agent with labels {'etl'} deploy your flow run.",
    ],
    // The demo's local agent, and the simulator's agent once it picked up a simulated run of this file.
    [
      'healthy agents, none matching',
      [],
      '2021-05-15T08:01:00Z',
      /^You have [12] healthy agents in your tenant but do not have an agent with empty labels\. Start an agent with matching labels to deploy your flow run\.$/,
    ],
  ];

  it.each(cases)("says %s in Prefect's words", async (_case, labels, now, sentence) => {
    const said = await checkForCompatibleAgents(labels, { client: server.client(), now: new Date(now) });
    if (typeof sentence === 'string') expect(said).toBe(sentence);
    else expect(said).toMatch(sentence);
  });

  it('warns while nobody submits the run, first after 15 seconds, then every 30, with the agent diagnosis', async () => {
    const client = server.client();
    const controller = new AbortController();
    // Left Scheduled: the simulator's first step comes after a minute (of real time), and is cancelled below.
    const run = await startSimulatedFlowRun({ url: server.url, apiKey: KEYS.writer, stepMs: 60_000, signal: controller.signal });
    // A minute of watching on a clock that moves on only while the watch waits to poll.
    const clock = useVirtualClock();
    try {
      const startedAt = clock.now();
      // Prefect's poll interval (the default, 2 s).
      const watch = watchFlowRun(run.flowRunId, { client, live: false, timeoutMs: 60_000 });
      const seen: WatchEvent[] = [];
      const warnedAt: number[] = [];
      const error = await (async () => {
        for await (const event of watch) {
          seen.push(event);
          if (event.type === 'warning') warnedAt.push(clock.now() - startedAt);
        }
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toMatch(/timed out after 60000 ms; it is still in state <Scheduled/);
      const warnings = seen.filter((event): event is Extract<WatchEvent, { type: 'warning' }> => event.type === 'warning');
      // At the first poll 15 s in, and at the first poll more than 30 s after that.
      expect(warnedAt).toEqual([16_000, 48_000]);
      expect(warnings.map((warning) => warning.timestamp.getTime() - startedAt)).toEqual([16_000, 48_000]);
      const diagnosis = / (Agent|Found|There are|You have) /;
      expect(warnings[0]?.message).toMatch(new RegExp(`^It has been 15 seconds and your flow run has not been submitted by an agent\\.${diagnosis.source}`));
      expect(warnings[1]?.message).toMatch(new RegExp(`^It has been 50 seconds and your flow run has not been submitted by an agent\\.${diagnosis.source}`));
      // The warnings come after the run's history.
      expect(seen[0]?.type).toBe('state');
    } finally {
      clock.restore();
      controller.abort();
      await run.done;
    }
  });
});
