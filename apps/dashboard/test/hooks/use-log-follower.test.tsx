// @vitest-environment happy-dom
// useLogFollower on the test's clock: it reads the lines so far with core's keyset pages, then
// follows a live run with core's polling watch (every 2 s, as Prefect) until the run has
// finished and its late lines have drained; a failed request backs off and resumes from the
// cursor, losing and repeating nothing. The API is an in-memory run the test changes.
import { FlowRunLogsFirstPageDocument, FlowRunLogsPageDocument, FlowRunWatchDocument } from '@runview/documents';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { useLogFollower, type LogLineFilter } from '../../src/logs/useLogFollower';
import { logRow, uuid, type LogRow } from '../support/fixtures';
import { RunFixture, wireTime } from '../support/run-api';
import { fakeApi, providers } from '../support/render';

const RUN_ID = uuid(1, 'b0b0b0b0-0000-4000-8000');
const START = Date.parse('2026-01-01T10:00:00Z');
const POLL_MS = 2000;

let lineNumber = 0;
/** A line logged now (on the fake clock). */
function line(overrides: Partial<LogRow> = {}): LogRow {
  lineNumber += 1;
  return logRow({
    id: uuid(lineNumber, 'c0c0c0c0-0000-4000-8000'),
    flow_run_id: RUN_ID,
    timestamp: wireTime(Date.now()),
    message: `line ${String(lineNumber)}`,
    ...overrides,
  });
}

/** Lets `ms` pass on the fake clock, with every request and render it sets off. */
const pass = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms));

function follow(run: RunFixture, { live = true, filter = {}, pageSize }: { live?: boolean; filter?: LogLineFilter; pageSize?: number } = {}) {
  const { wrapper } = providers({ api: run.api });
  return renderHook(() => useLogFollower({ flowRunId: RUN_ID, filter, live, ...(pageSize === undefined ? {} : { pageSize }) }), { wrapper });
}

const messages = (lines: readonly { message: string }[]) => lines.map((entry) => entry.message);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(START);
  lineNumber = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('useLogFollower', () => {
  test("a finished run's lines are read in pages, in order, and then it is complete", async () => {
    const lines = Array.from({ length: 7 }, () => line());
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID }, logs: lines });
    const { result } = follow(run, { live: false, pageSize: 3 });
    expect(result.current.status).toBe('loading');
    await pass();
    expect(result.current.status).toBe('complete');
    expect(result.current.count).toBe(7);
    expect(messages(result.current.lines)).toEqual(messages(lines.map((entry) => ({ message: entry.message ?? '' }))));
    // Three pages of 3, 3 and 1: after the first, each starts after the last line it has.
    expect(run.api.variablesOf(FlowRunLogsFirstPageDocument)).toHaveLength(1);
    expect(run.api.variablesOf(FlowRunLogsPageDocument).map((variables) => variables.afterId)).toEqual([lines[2]?.id, lines[5]?.id]);
    expect(result.current.transport).toBeNull();
    expect(run.api.variablesOf(FlowRunWatchDocument)).toEqual([]);
  });

  test('a live run gains its new lines on each poll, each once, until it finishes and its late lines drain', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID, state: 'Running', end_time: null }, logs: [line(), line()] });
    const { result } = follow(run);
    await pass();
    expect(result.current.count).toBe(2);
    expect(result.current.status).toBe('following');

    vi.advanceTimersByTime(100);
    run.addLogs(line(), line());
    await pass(POLL_MS);
    expect(messages(result.current.lines)).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
    expect(result.current.transport).toBe('poll');

    // Nothing new: a poll changes nothing.
    await pass(POLL_MS);
    expect(result.current.count).toBe(4);

    run.setState('Success', Date.now(), 'All reference tasks succeeded.');
    await pass(POLL_MS);
    // Finished, but lines may still land: it keeps reading for the drain (3 s).
    expect(result.current.status).toBe('following');
    // The runner uploads its last line after the final state.
    run.addLogs(line({ message: 'Flow run finished; the runner is shutting down.' }));
    await pass(POLL_MS);
    await pass(POLL_MS);
    await pass(POLL_MS);
    expect(result.current.status).toBe('complete');
    expect(result.current.lines.at(-1)?.message).toBe('Flow run finished; the runner is shutting down.');
    expect(new Set(result.current.lines.map((entry) => entry.id)).size).toBe(result.current.count);

    const polls = run.api.variablesOf(FlowRunWatchDocument).length;
    await pass(10 * POLL_MS);
    expect(run.api.variablesOf(FlowRunWatchDocument)).toHaveLength(polls);
  });

  test('the watch streams every line; the filter keeps those the pages would have', async () => {
    const task = uuid(9, 'd0d0d0d0-0000-4000-8000');
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID, state: 'Running', end_time: null }, logs: [line({ level: 'ERROR' }), line({ level: 'INFO' })] });
    const { result } = follow(run, { filter: { levels: ['ERROR'], taskRunId: task } });
    await pass();
    // The pages are filtered by the server.
    expect(result.current.count).toBe(0);
    expect(run.api.variablesOf(FlowRunLogsFirstPageDocument).at(-1)?.filter).toEqual({
      level: { _in: expect.arrayContaining(['ERROR']) as unknown },
      task_run_id: { _eq: task },
    });

    run.addLogs(line({ level: 'ERROR', task_run_id: task, message: 'wanted' }), line({ level: 'INFO', task_run_id: task }), line({ level: 'ERROR' }));
    await pass(POLL_MS);
    expect(messages(result.current.lines)).toEqual(['wanted']);
  });

  test('no level at all reads nothing', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID }, logs: [line()] });
    const { result } = follow(run, { filter: { levels: [] } });
    await pass();
    expect(result.current.status).toBe('complete');
    expect(result.current.count).toBe(0);
    expect(run.api.received).toEqual([]);
  });

  test('a failed read backs off (doubling from 1.5 s) and resumes after the lines it has', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID, state: 'Running', end_time: null }, logs: [line(), line()] });
    const { result } = follow(run);
    await pass();
    expect(result.current.count).toBe(2);

    // The API goes away: the watch's poll fails, and so does the retry.
    const { api } = run;
    const failing = new TypeError('Failed to fetch');
    api.on(FlowRunWatchDocument, failing).on(FlowRunLogsPageDocument, failing).on(FlowRunLogsFirstPageDocument, failing);
    run.addLogs(line());
    await pass(POLL_MS);
    expect(result.current.error).toBe(failing);
    const failedAt = api.received.length;
    // The first pause is 3 s (1.5 s doubled).
    await pass(2999);
    expect(api.received).toHaveLength(failedAt);
    await pass(1);
    expect(api.received.length).toBeGreaterThan(failedAt);
    // The second failure waits 6 s.
    const again = api.received.length;
    await pass(5999);
    expect(api.received).toHaveLength(again);

    // The API is back: the lines written meanwhile come once, after the two it had.
    const back = new RunFixture(api, { run: run.run, logs: run.logs });
    back.addLogs(line());
    await pass(1);
    expect(result.current.error).toBeUndefined();
    expect(messages(result.current.lines)).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
    expect(result.current.status).toBe('following');
  });

  test('reload reads every line again; unmounting stops every request', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID, state: 'Running', end_time: null }, logs: [line(), line()] });
    const { result, unmount } = follow(run);
    await pass();
    expect(run.api.variablesOf(FlowRunLogsFirstPageDocument)).toHaveLength(1);
    act(() => {
      result.current.reload();
    });
    await pass();
    expect(run.api.variablesOf(FlowRunLogsFirstPageDocument)).toHaveLength(2);
    expect(result.current.count).toBe(2);

    unmount();
    const sent = run.api.received.length;
    await pass(10 * POLL_MS);
    expect(run.api.received).toHaveLength(sent);
  });
});
