// @vitest-environment happy-dom
// A flow run's page: its header and facts, task runs with mapped children, state history,
// flow, parameters, and the ways it can be missing or fail.
import { FlowFilterOptionsDocument, FlowRunByIdDocument, FlowRunsDocument, FlowRunStatesDocument } from '@runview/documents';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { App } from '../../src/App';
import { flow, flowOptionsAnswer, flowRunsAnswer, logRow, nth, stateRow, taskRun, uuid } from '../support/fixtures';
import { layOutLogView } from '../support/layout';
import { RunFixture, wireTime } from '../support/run-api';
import { fakeApi, renderDashboard } from '../support/render';

const RUN_ID = '4c0101af-c6bb-4b96-8661-63a5bbfb5596';

/** The documentation's reference run: Success, three task runs, six lines over five weeks. */
function referenceRun(): RunFixture {
  const task = (n: number, name: string, start: string) =>
    taskRun({ id: uuid(100 + n), flow_run_id: RUN_ID, task_id: uuid(200 + n), start_time: start, task: { name, slug: `${name}-1` } });
  return new RunFixture(fakeApi(), {
    run: {
      id: RUN_ID,
      name: 'hello-world-run',
      labels: ['nightly'],
      state_message: 'All reference tasks succeeded.',
      start_time: '1978-03-08T22:30:00.000000+00:00',
      end_time: '1978-04-12T23:00:00.000000+00:00',
    },
    taskRuns: [task(1, 'say_hello', '1978-03-08T22:30:01+00:00'), task(2, 'add', '1978-03-08T22:30:02+00:00'), task(3, 'report', '1978-04-12T22:59:59+00:00')],
    states: [
      stateRow({ state: 'Scheduled', timestamp: '1978-03-08T22:29:00.000000+00:00', message: 'Flow run scheduled.' }),
      stateRow({ state: 'Running', timestamp: '1978-03-08T22:30:00.000000+00:00', message: 'Running flow.' }),
      stateRow({ state: 'Success', timestamp: '1978-04-12T23:00:00.000000+00:00', message: 'All reference tasks succeeded.' }),
    ],
    logs: [
      logRow({ id: uuid(501), flow_run_id: RUN_ID, timestamp: '1978-03-08T22:30:00.000000+00:00', message: 'Beginning Flow run' }),
      logRow({ id: uuid(502), flow_run_id: RUN_ID, timestamp: '1978-03-08T22:30:01.123000+00:00', message: 'Task say_hello: Starting' }),
      logRow({ id: uuid(503), flow_run_id: RUN_ID, timestamp: '1978-03-08T22:30:02.234000+00:00', message: 'Hello, world!' }),
      logRow({ id: uuid(504), flow_run_id: RUN_ID, timestamp: '1978-03-08T22:42:42.424000+00:00', level: 'WARNING', message: 'Slow' }),
      logRow({ id: uuid(505), flow_run_id: RUN_ID, timestamp: '1978-04-12T22:59:59.987000+00:00', message: 'Task report: Finished' }),
      logRow({ id: uuid(506), flow_run_id: RUN_ID, timestamp: '1978-04-12T23:00:00.000000+00:00', message: 'Flow run SUCCESS: all reference tasks succeeded' }),
    ],
  });
}

const region = (name: string) => screen.getByRole('region', { name });
/** The value of a fact of the run (`<dt>name</dt><dd>value</dd>`). */
const fact = (name: string) => [...document.querySelectorAll('dt')].find((term) => term.textContent === name)?.nextElementSibling?.textContent;

describe('a flow run page', () => {
  beforeEach(() => {
    layOutLogView();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('the reference run shows Success, its three task runs, its six logs and its history', async () => {
    const run = referenceRun();
    renderDashboard(<App />, { api: run.api, path: `/runs/${RUN_ID}` });
    await screen.findByRole('heading', { level: 1, name: 'hello-world-run' });
    const header = document.querySelector<HTMLElement>('.run-header');
    expect(within(header ?? document.body).getByText('Success', { exact: true }).dataset['state']).toBe('Success');
    expect(screen.getByTestId('state-message').textContent).toBe('All reference tasks succeeded.');
    expect(document.title).toBe('hello-world-run (Success) · runview');
    // A finished run is not live.
    expect(screen.queryByText('Live')).toBeNull();

    const taskRuns = region('Task runs');
    await waitFor(() => {
      expect(within(taskRuns).getAllByRole('row')).toHaveLength(4);
    });
    await waitFor(() => {
      expect(within(taskRuns).getByTestId('task-run-total').textContent).toBe('3 task runs');
    });
    expect(taskRuns.querySelector('.state-counts__text')?.textContent).toBe('3 Success');

    const logs = region('Logs');
    await waitFor(() => {
      expect(within(logs).getByTestId('log-status').textContent).toBe('6 lines · complete');
    });
    const lines = within(logs).getAllByRole('listitem');
    expect(lines).toHaveLength(6);
    expect(nth(lines, 5).textContent).toContain('Flow run SUCCESS');
    // The run spans five weeks: the date heads the first line and the line where it changes.
    expect([...logs.querySelectorAll('time')].map((time) => time.textContent)).toEqual([
      '1978-03-0822:30:00.000',
      '22:30:01.123',
      '22:30:02.234',
      '22:42:42.424',
      '1978-04-1222:59:59.987',
      '23:00:00.000',
    ]);
    expect(nth(lines, 3).className).toContain('log-line--warning');

    const history = region('State history');
    await waitFor(() => {
      expect(within(history).getAllByRole('listitem')).toHaveLength(3);
    });
    expect(history.textContent).toContain('3 states');
    expect(history.textContent).toContain('Flow run scheduled.');
    // Each state lasts until the next; the finished last one has no length.
    expect(history.querySelectorAll('.timeline__span')).toHaveLength(2);
    expect(nth(history.querySelectorAll('.timeline__span'), 0).textContent).toBe('1m 0s');

    const flowCard = region('Flow');
    const link = await within(flowCard).findByRole('link', { name: 'hello-world' });
    expect(link.getAttribute('href')).toBe(`/runs?flow=${flow().flow_group_id}`);
    expect(flowCard.textContent).toContain('Local');
    expect(flowCard.textContent).toContain('UniversalRun');
    expect(flowCard.textContent).toContain('1.4.1');

    expect(region('Parameters').textContent).toContain('"x": 1');
    // The run's labels, then its flow's.
    expect(screen.getAllByRole('list', { name: 'Labels' }).map((list) => list.textContent)).toEqual(['nightly', 'demo']);
    expect(fact('Duration')).toBe('35d 0h');
    expect(screen.getByRole('button', { name: 'Copy run id' })).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Breadcrumb' }).textContent).toBe('Flow runs / hello-world-run');
  });

  test('a mapped task is one row with its children counted by state, expandable to pages of children', async () => {
    const parentTask = uuid(210);
    const children = Array.from({ length: 50 }, (_, index) =>
      taskRun({
        id: uuid(1000 + index),
        flow_run_id: RUN_ID,
        task_id: parentTask,
        map_index: index,
        state: [7, 23, 41].includes(index) ? 'Failed' : 'Success',
        task: { name: 'transform', slug: 'transform-1', mapped: true },
      }),
    );
    const api = fakeApi();
    new RunFixture(api, {
      run: { id: RUN_ID, name: 'etl-run', state: 'Failed', state_message: 'Some reference tasks failed.' },
      taskRuns: [
        taskRun({ id: uuid(101), flow_run_id: RUN_ID, task_id: uuid(201), task: { name: 'extract', slug: 'extract-1' } }),
        taskRun({ id: uuid(110), flow_run_id: RUN_ID, task_id: parentTask, state: 'Mapped', task: { name: 'transform', slug: 'transform-1', mapped: true } }),
        ...children,
      ],
    });
    renderDashboard(<App />, { api, path: `/runs/${RUN_ID}` });
    const taskRuns = await screen.findByRole('region', { name: 'Task runs' });
    const parent = await within(taskRuns).findByRole('row', { name: /transform/ });
    await within(parent).findByText('50 mapped runs:');
    expect(parent.querySelector('.state-counts__text')?.textContent).toBe('47 Success · 3 Failed');
    // An unmapped task has no children to show.
    expect(within(within(taskRuns).getByRole('row', { name: /extract/ })).queryByRole('button', { name: 'Mapped runs' })).toBeNull();

    fireEvent.click(within(parent).getByRole('button', { name: 'Mapped runs' }));
    const table = await screen.findByRole('table', { name: 'Mapped runs of transform' });
    await waitFor(() => {
      expect(within(table).getAllByRole('row')).toHaveLength(26);
    });
    const pages = screen.getByRole('navigation', { name: 'Pages of mapped runs of transform' });
    expect(pages.textContent).toContain('Map index 0–24');
    fireEvent.click(within(pages).getByRole('button', { name: 'Next ›' }));
    await waitFor(() => {
      expect(nth(within(table).getAllByRole('row'), 1).querySelector('th')?.textContent).toBe('25');
    });
    expect(pages.textContent).toContain('Map index 25–49');
    fireEvent.click(within(pages).getByRole('button', { name: '‹ Previous' }));
    await waitFor(() => {
      expect(nth(within(table).getAllByRole('row'), 1).querySelector('th')?.textContent).toBe('0');
    });
    expect(within(table).getByRole('row', { name: /^7/ }).textContent).toContain('Failed');

    fireEvent.click(within(parent).getByRole('button', { name: 'Hide mapped' }));
    expect(screen.queryByRole('table', { name: 'Mapped runs of transform' })).toBeNull();
  });

  test('more top-level task runs than a page are paged', async () => {
    const api = fakeApi();
    const rows = Array.from({ length: 45 }, (_, index) =>
      taskRun({
        id: uuid(100 + index),
        flow_run_id: RUN_ID,
        task_id: uuid(300 + index),
        task: { name: `task-${String(index)}`, slug: `task-${String(index)}` },
      }),
    );
    new RunFixture(api, { run: { id: RUN_ID }, taskRuns: rows });
    renderDashboard(<App />, { api, path: `/runs/${RUN_ID}` });
    const pager = await screen.findByRole('navigation', { name: 'Pages of task runs' });
    expect(pager.textContent).toContain('1–20 of 45');
    fireEvent.click(within(pager).getByRole('button', { name: 'Next ›' }));
    await within(region('Task runs')).findByText('task-20');
    expect(pager.textContent).toContain('21–40 of 45');
  });

  test('a live run says so and counts its duration up', async () => {
    // Only the clock's reading is fixed: the page's timers run, and the test moves the time.
    vi.useFakeTimers({ toFake: ['Date'] });
    const now = Date.parse('2026-01-01T10:00:00Z');
    vi.setSystemTime(now);
    const api = fakeApi();
    const run = new RunFixture(api, {
      run: { id: RUN_ID, state: 'Running', state_message: 'Running flow.', start_time: wireTime(now - 90_000), end_time: null },
    });
    run.setState('Running', now - 90_000, 'Running flow.');
    renderDashboard(<App />, { api, path: `/runs/${RUN_ID}` });
    await screen.findByRole('heading', { level: 1, name: 'woodoo-leopard' });
    expect(document.title).toBe('woodoo-leopard (Running) · runview');
    expect(screen.getByText('Live').closest('[title]')?.getAttribute('title')).toBe('Refreshing every 2 s');
    expect(fact('Duration')).toBe('1m 30s so far');
    expect(fact('Ended')).toBe('—');
    // It entered Running 90 s ago.
    expect(fact('Updated')).toBe('1 minute ago');
    vi.setSystemTime(now + 60_000);
    // The page's clock ticks every second.
    await waitFor(() => {
      expect(fact('Duration')).toBe('2m 30s so far');
    });
  });

  test('a run without task runs, states, parameters or a registered flow says so', async () => {
    const api = fakeApi();
    new RunFixture(api, { run: { id: RUN_ID, name: null, parameters: {}, labels: [], state: 'Scheduled', start_time: null, end_time: null }, flow: null });
    renderDashboard(<App />, { api, path: `/runs/${RUN_ID}` });
    // A run without a name is titled by its id.
    await screen.findByRole('heading', { level: 1, name: RUN_ID });
    await screen.findByText('No task runs yet. They appear once the flow run starts its tasks.');
    await screen.findByText('No states recorded yet.');
    await screen.findByText(/is no longer registered/);
    expect(screen.getByText('No parameters')).toBeTruthy();
    expect(screen.getByText('No labels')).toBeTruthy();
    expect(fact('Duration')).toBe('—');
  });

  test('an unknown or malformed run id shows a not-found page that names the API and leads back', async () => {
    const api = fakeApi();
    new RunFixture(api, { run: { id: RUN_ID } });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const { location } = renderDashboard(<App />, { api, path: `/runs/${unknown}` });
    await screen.findByRole('heading', { level: 1, name: 'Flow run not found' });
    expect(screen.getByRole('main').textContent).toContain(unknown);
    expect(screen.getByRole('main').textContent).toContain(api.url);
    expect(document.title).toBe('Flow run not found · runview');
    api.on(FlowRunsDocument, flowRunsAnswer([])).on(FlowFilterOptionsDocument, flowOptionsAnswer([]));
    fireEvent.click(screen.getByRole('link', { name: 'Browse flow runs' }));
    expect(location().pathname).toBe('/runs');
    await screen.findByRole('heading', { level: 1, name: 'Flow runs' });
  });

  test('a malformed id asks nothing of the API', async () => {
    const { api } = renderDashboard(<App />, { path: '/runs/not-an-id' });
    api.on(FlowRunByIdDocument, { flow_run: [] });
    await screen.findByRole('heading', { level: 1, name: 'Flow run not found' });
    expect(screen.getByRole('main').textContent).toContain('“not-an-id” is not a flow run id');
    expect(api.variablesOf(FlowRunByIdDocument)).toEqual([]);
  });

  test('a run that cannot be loaded explains why and retries', async () => {
    const api = fakeApi();
    const run = new RunFixture(api, { run: { id: RUN_ID } });
    api.on(FlowRunByIdDocument, new TypeError('Failed to fetch'));
    renderDashboard(<App />, { api, path: `/runs/${RUN_ID}` });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the flow run.');
    new RunFixture(api, { run: run.run });
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { level: 1, name: 'woodoo-leopard' });
  });

  test('a state history that fails to load says so, with a retry', async () => {
    const api = fakeApi();
    new RunFixture(api, { run: { id: RUN_ID } });
    api.on(FlowRunStatesDocument, new TypeError('Failed to fetch'));
    renderDashboard(<App />, { api, path: `/runs/${RUN_ID}` });
    const history = await screen.findByRole('region', { name: 'State history' });
    const alert = await within(history).findByRole('alert');
    expect(alert.textContent).toContain('Could not load the state history.');
  });
});
