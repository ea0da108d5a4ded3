// @vitest-environment happy-dom
// The log panel: the lines so far with their dates and levels, filtered by level and task
// (by the server: the filter goes into the query), windowed so that only a screenful of a
// long log is in the DOM, following the newest line until a person scrolls up.
import { FlowRunLogsFirstPageDocument, FlowRunLogsPageDocument } from '@runview/documents';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { beforeEach, describe, expect, test } from 'vitest';
import { App } from '../../src/App';
import { LogPanel, type TaskOption } from '../../src/logs/LogPanel';
import { ALL_SOURCES, type LogSource } from '../../src/maps/logs';
import { logRow, nth, taskRun, uuid, type LogRow } from '../support/fixtures';
import { layOutLogView } from '../support/layout';
import { RunFixture, wireTime } from '../support/run-api';
import { fakeApi, renderDashboard } from '../support/render';

const RUN_ID = uuid(7, 'f0f0f0f0-0000-4000-8000');
const EXTRACT = uuid(71, 'f0f0f0f0-0000-4000-8000');
const LOAD = uuid(72, 'f0f0f0f0-0000-4000-8000');

/** The demo's failed run: extract raised; two ERROR lines among six. */
const FAILED_LINES: LogRow[] = [
  logRow({ id: uuid(1), flow_run_id: RUN_ID, timestamp: '2021-05-12T20:00:00.000000+00:00', level: 'INFO', message: 'Beginning Flow run' }),
  logRow({
    id: uuid(2),
    flow_run_id: RUN_ID,
    task_run_id: EXTRACT,
    name: 'prefect.TaskRunner',
    timestamp: '2021-05-12T20:00:01.000000+00:00',
    level: 'DEBUG',
    message: 'Task extract: Starting',
  }),
  logRow({
    id: uuid(3),
    flow_run_id: RUN_ID,
    task_run_id: EXTRACT,
    name: 'prefect.TaskRunner',
    timestamp: '2021-05-12T20:00:02.000000+00:00',
    level: 'WARNING',
    message: 'Retrying',
  }),
  logRow({
    id: uuid(4),
    flow_run_id: RUN_ID,
    task_run_id: EXTRACT,
    name: 'prefect.TaskRunner',
    timestamp: '2021-05-12T20:00:03.000000+00:00',
    level: 'ERROR',
    message: 'ValueError: bad row',
  }),
  logRow({
    id: uuid(5),
    flow_run_id: RUN_ID,
    task_run_id: LOAD,
    name: 'prefect.TaskRunner',
    timestamp: '2021-05-12T20:00:04.000000+00:00',
    level: 'INFO',
    message: 'Task load: upstream failed',
  }),
  logRow({
    id: uuid(6),
    flow_run_id: RUN_ID,
    timestamp: '2021-05-12T20:00:05.000000+00:00',
    level: 'ERROR',
    message: 'Flow run FAILED: some reference tasks failed.',
  }),
];

const TASKS: TaskOption[] = [
  { taskRunId: EXTRACT, label: 'extract' },
  { taskRunId: LOAD, label: 'load' },
];

/** The panel as the run page holds it: the source is the page's state. */
function Panel({ live = false, tasks = TASKS, initial = ALL_SOURCES }: { live?: boolean; tasks?: TaskOption[]; initial?: LogSource }) {
  const [source, setSource] = useState<LogSource>(initial);
  return <LogPanel flowRunId={RUN_ID} live={live} source={source} onSource={setSource} tasks={tasks} />;
}

const status = () => screen.getByTestId('log-status').textContent;
const shownLevels = () => [...document.querySelectorAll('.log-line__level')].map((level) => level.textContent);

describe('the log panel', () => {
  beforeEach(() => {
    layOutLogView();
  });

  test('filters by level in the query; no level at all asks for nothing', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID }, logs: FAILED_LINES });
    renderDashboard(<Panel />, { api: run.api });
    await waitFor(() => {
      expect(status()).toBe('6 lines · complete');
    });
    // Every level ticked asks for every line, with no level filter.
    expect(run.api.variablesOf(FlowRunLogsFirstPageDocument).at(-1)?.filter).toEqual({});

    for (const level of ['DEBUG', 'INFO', 'WARNING']) fireEvent.click(screen.getByLabelText(level));
    await waitFor(() => {
      expect(status()).toBe('2 lines · complete');
    });
    expect(shownLevels()).toEqual(['ERROR', 'ERROR']);
    expect(run.api.variablesOf(FlowRunLogsFirstPageDocument).at(-1)?.filter?.level?._in).toEqual(expect.arrayContaining(['ERROR', 'CRITICAL']));
    expect(document.querySelectorAll('.log-line--error')).toHaveLength(2);

    fireEvent.click(screen.getByLabelText('ERROR'));
    await waitFor(() => {
      expect(status()).toBe('0 lines · complete');
    });
    const asked = run.api.received.length;
    fireEvent.click(screen.getByLabelText('CRITICAL'));
    await screen.findByText('No levels selected.');
    expect(status()).toBe('0 lines · complete');
    expect(run.api.received.length).toBe(asked);

    for (const level of ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']) fireEvent.click(screen.getByLabelText(level));
    await waitFor(() => {
      expect(status()).toBe('6 lines · complete');
    });
  });

  test('filters by task run: the lines are named by their task', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID }, logs: FAILED_LINES });
    renderDashboard(<Panel />, { api: run.api });
    await waitFor(() => {
      expect(status()).toBe('6 lines · complete');
    });
    fireEvent.change(screen.getByLabelText('Task', { selector: 'select' }), { target: { value: EXTRACT } });
    await waitFor(() => {
      expect(status()).toBe('3 lines · complete');
    });
    expect(new Set([...document.querySelectorAll('.log-line__source')].map((source) => source.textContent))).toEqual(new Set(['extract']));
    expect(run.api.variablesOf(FlowRunLogsFirstPageDocument).at(-1)?.filter).toEqual({ task_run_id: { _eq: EXTRACT } });
    fireEvent.change(screen.getByLabelText('Task', { selector: 'select' }), { target: { value: 'all' } });
    await waitFor(() => {
      expect(status()).toBe('6 lines · complete');
    });
    // A line without a task is named by its logger.
    expect(nth(document.querySelectorAll('.log-line__source'), 0).textContent).toBe('prefect.FlowRunner');
  });

  test("the task runs' Logs buttons narrow the panel to that task run, mapped children included", async () => {
    const transform = uuid(73, 'f0f0f0f0-0000-4000-8000');
    const child = uuid(74, 'f0f0f0f0-0000-4000-8000');
    const run = new RunFixture(fakeApi(), {
      run: { id: RUN_ID, state: 'Failed' },
      taskRuns: [
        taskRun({ id: EXTRACT, flow_run_id: RUN_ID, task_id: uuid(81), state: 'Failed', task: { name: 'extract', slug: 'extract-1' } }),
        taskRun({ id: transform, flow_run_id: RUN_ID, task_id: uuid(82), state: 'Mapped', task: { name: 'transform', slug: 'transform-1', mapped: true } }),
        taskRun({ id: child, flow_run_id: RUN_ID, task_id: uuid(82), map_index: 3, task: { name: 'transform', slug: 'transform-1', mapped: true } }),
      ],
      logs: [
        ...FAILED_LINES,
        logRow({ id: uuid(9), flow_run_id: RUN_ID, task_run_id: child, timestamp: '2021-05-12T20:00:06.000000+00:00', message: 'mapped child' }),
      ],
    });
    renderDashboard(<App />, { api: run.api, path: `/runs/${RUN_ID}` });
    const logs = await screen.findByRole('region', { name: 'Logs' });
    await waitFor(() => {
      expect(status()).toBe('7 lines · complete');
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Show logs of extract' }));
    const select = within(logs).getByLabelText<HTMLSelectElement>('Task', { selector: 'select' });
    await waitFor(() => {
      expect(select.value).toBe(EXTRACT);
    });
    await waitFor(() => {
      expect(status()).toBe('3 lines · complete');
    });

    // A mapped child is not among the options until it is picked from its table.
    fireEvent.click(await screen.findByRole('button', { name: 'Mapped runs' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Show logs of transform[3]' }));
    await waitFor(() => {
      expect(select.value).toBe(child);
    });
    expect(select.selectedOptions[0]?.text).toBe('transform[3]');
    await waitFor(() => {
      expect(status()).toBe('1 line · complete');
    });
  });

  test('a long log keeps only the lines in view in the DOM, follows the newest, and stops following when scrolled up', async () => {
    const start = Date.parse('2022-01-03T00:00:00Z');
    const lines = Array.from({ length: 5000 }, (_, index) =>
      logRow({ id: uuid(index + 1), flow_run_id: RUN_ID, timestamp: wireTime(start + index), message: `line ${String(index + 1)}` }),
    );
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID }, logs: lines });
    renderDashboard(<Panel />, { api: run.api });
    await waitFor(() => {
      expect(status()).toBe('5,000 lines · complete');
    });
    // One full page of 5,000, then the page after it, which is empty.
    expect(run.api.variablesOf(FlowRunLogsFirstPageDocument)).toHaveLength(1);
    expect(run.api.variablesOf(FlowRunLogsPageDocument)).toHaveLength(1);

    const view = screen.getByRole('region', { name: 'Log lines' });
    await waitFor(() => {
      expect(view.querySelector('[aria-posinset="5000"]')).not.toBeNull();
    });
    expect(screen.getAllByRole('listitem').length).toBeLessThan(200);
    expect(screen.getByRole('button', { name: 'Following' }).getAttribute('aria-pressed')).toBe('true');

    view.scrollTop = 0;
    await waitFor(() => {
      expect(view.querySelector('[aria-posinset="1"]')).not.toBeNull();
    });
    expect(view.querySelector('[aria-posinset="5000"]')).toBeNull();
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
    expect(screen.getAllByRole('listitem').length).toBeLessThan(200);

    // Follow again: back to the newest line.
    fireEvent.click(screen.getByRole('button', { name: 'Follow' }));
    await waitFor(() => {
      expect(view.querySelector('[aria-posinset="5000"]')).not.toBeNull();
    });
  });

  test('no lines says why: none matching for a finished run, none yet for a live one', async () => {
    // The panel goes by its `live` prop; the watch by the run, which is still running.
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID, state: 'Running', end_time: null } });
    const finished = renderDashboard(<Panel />, { api: run.api });
    await screen.findByText('No log lines match.');
    expect(status()).toBe('0 lines · complete');
    finished.unmount();
    renderDashboard(<Panel live />, { api: run.api });
    await screen.findByText('No log lines yet; new lines appear here as they are written.');
    // How lines arrive is shown once the first one has.
    await waitFor(() => {
      expect(status()).toBe('0 lines · following');
    });
  });

  test('a failed read explains itself; Try again reads every line again', async () => {
    const run = new RunFixture(fakeApi(), { run: { id: RUN_ID }, logs: FAILED_LINES });
    const working = run.api;
    working.on(FlowRunLogsFirstPageDocument, new TypeError('Failed to fetch'));
    renderDashboard(<Panel />, { api: working });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load new log lines (retrying).');
    new RunFixture(working, { run: { id: RUN_ID }, logs: FAILED_LINES });
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => {
      expect(status()).toBe('6 lines · complete');
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
