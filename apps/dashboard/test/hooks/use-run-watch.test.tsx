// @vitest-environment happy-dom
// useRunWatch on the test's clock: core's polling watch tells the page that a live run
// changed, and the page's queries are read again, once per burst of changes; when the run
// ends they are read one last time; a watch that fails leaves the page to poll by itself.
import { useQuery } from '@apollo/client/react';
import { FlowRunByIdDocument, FlowRunWatchDocument, TaskRunsTableDocument } from '@runview/documents';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { useRunWatch } from '../../src/flow-run/useRunWatch';
import { PARENTS_ONLY } from '../../src/flow-run/taskRuns';
import { taskRun, uuid } from '../support/fixtures';
import { RunFixture } from '../support/run-api';
import { fakeApi, providers } from '../support/render';

const RUN_ID = uuid(1, 'e0e0e0e0-0000-4000-8000');
const TASK_RUN_ID = uuid(2, 'e0e0e0e0-0000-4000-8000');
const POLL_MS = 2000;

const pass = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms));

/** The hook beside two of the page's queries, as the run page holds them. */
function watchPage(run: RunFixture, live = true) {
  const { wrapper } = providers({ api: run.api });
  return renderHook(
    (props: { live: boolean }) => {
      const mode = useRunWatch(RUN_ID, props.live);
      const flowRun = useQuery(FlowRunByIdDocument, { variables: { id: RUN_ID } });
      const taskRuns = useQuery(TaskRunsTableDocument, { variables: { flowRunId: RUN_ID, filter: PARENTS_ONLY, limit: 20, offset: 0 } });
      return { mode, state: flowRun.data?.flow_run[0]?.state, taskState: taskRuns.data?.task_run[0]?.state };
    },
    { wrapper, initialProps: { live } },
  );
}

const reads = (run: RunFixture) => run.api.variablesOf(FlowRunByIdDocument).length;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(Date.parse('2026-01-01T10:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useRunWatch', () => {
  test("a live run's changes refresh the page's queries, once per burst", async () => {
    const run = new RunFixture(fakeApi(), {
      run: { id: RUN_ID, state: 'Running', end_time: null },
      taskRuns: [taskRun({ id: TASK_RUN_ID, flow_run_id: RUN_ID, state: 'Pending' })],
    });
    run.setState('Running', Date.now());
    const { result } = watchPage(run);
    await pass();
    expect(result.current.state).toBe('Running');
    // The watch reads states and task runs, never log lines (the log panel follows those).
    const first = run.api.variablesOf(FlowRunWatchDocument)[0];
    expect(first).toMatchObject({ id: RUN_ID, withLogs: false, withTaskRuns: true });
    // Its first snapshot is the history so far: one refresh.
    await pass(250);
    expect(result.current.mode).toBe('poll');
    const afterHistory = reads(run);

    // A task run and the run change within one poll: one refresh brings both.
    vi.advanceTimersByTime(500);
    run.setTaskRunState(TASK_RUN_ID, 'Running', Date.now());
    run.setState('Cancelling', Date.now() + 1, 'Cancel requested.');
    await pass(POLL_MS);
    await pass(250);
    expect(reads(run)).toBe(afterHistory + 1);
    expect(result.current.state).toBe('Cancelling');
    expect(result.current.taskState).toBe('Running');

    // Quiet polls refresh nothing.
    const quiet = reads(run);
    await pass(POLL_MS + 250);
    expect(reads(run)).toBe(quiet);
  });

  test('when the run ends the watch stops and the queries are read one last time', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID, state: 'Running', end_time: null } });
    run.setState('Running', Date.now());
    const { result, rerender } = watchPage(run);
    await pass(250);
    expect(result.current.mode).toBe('poll');
    const before = reads(run);
    const polls = run.api.variablesOf(FlowRunWatchDocument).length;
    rerender({ live: false });
    await pass();
    expect(result.current.mode).toBeNull();
    expect(reads(run)).toBe(before + 1);
    await pass(5 * POLL_MS);
    expect(run.api.variablesOf(FlowRunWatchDocument)).toHaveLength(polls);
  });

  test('a run that is not live is not watched', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID } });
    const { result } = watchPage(run, false);
    await pass(5 * POLL_MS);
    expect(result.current.mode).toBeNull();
    expect(run.api.variablesOf(FlowRunWatchDocument)).toEqual([]);
  });

  test('a watch that fails says so, so the page polls by itself', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID, state: 'Running', end_time: null } });
    run.api.on(FlowRunWatchDocument, new TypeError('Failed to fetch'));
    const { result } = watchPage(run);
    await pass();
    expect(result.current.mode).toBe('failed');
  });

  test('unmounting stops the watch', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID, state: 'Running', end_time: null } });
    const { unmount } = watchPage(run);
    await pass(POLL_MS);
    unmount();
    const sent = run.api.received.length;
    await pass(5 * POLL_MS);
    expect(run.api.received).toHaveLength(sent);
  });
});
