// @vitest-environment happy-dom
// The runs page: the list, the name search, the state and flow filters, paging, the empty
// states, errors with a retry, and the keyboard; all driven through the URL as a person
// bookmarks it.
import { ApiInfoDocument, FlowFilterOptionsDocument, FlowRunByIdDocument, FlowRunsDocument, type FlowRunsQueryVariables } from '@runview/documents';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { App } from '../../src/App';
import { RUNS_PAGE_SIZE } from '../../src/runs/RunsTable';
import type { FakeApi } from '../support/api';
import { FLOW_GROUP_ID, flowOptionsAnswer, nth, flowRunSummary, flowRunsAnswer, uuid, type FlowRunSummary } from '../support/fixtures';
import { fakeApi, renderDashboard } from '../support/render';

const RUNS: FlowRunSummary[] = [
  flowRunSummary({ id: uuid(1), name: 'woodoo-leopard' }),
  flowRunSummary({ id: uuid(2), name: 'cosmic-narwhal', state: 'Failed', state_message: 'Some reference tasks failed.' }),
  flowRunSummary({ id: uuid(3), name: 'olive-otter', state: 'Running', end_time: null }),
  flowRunSummary({ id: uuid(4), name: 'brave-lion', state: 'Scheduled', start_time: null, end_time: null }),
];

/** The runs query answered from a list, applying the name and state criteria as the API does. */
function answerRuns(api: FakeApi, runs: readonly FlowRunSummary[], total?: number): FakeApi {
  return api
    .on(FlowFilterOptionsDocument, flowOptionsAnswer([{ id: uuid(9), name: 'hello-world', version: 2, archived: false, flow_group_id: FLOW_GROUP_ID }]))
    .on(FlowRunsDocument, ({ filter, limit, offset }: FlowRunsQueryVariables) => {
      const like = filter?.name?._ilike?.replaceAll('%', '').toLowerCase();
      const matching = runs.filter(
        (run) =>
          (like === undefined || (run.name ?? '').toLowerCase().includes(like)) &&
          (filter?.name?._eq === undefined || run.name === filter.name._eq) &&
          (filter?.state?._eq === undefined || run.state === filter.state._eq),
      );
      const from = offset ?? 0;
      return flowRunsAnswer(matching.slice(from, from + limit), total ?? matching.length);
    });
}

const lastVariables = (api: FakeApi) => api.variablesOf(FlowRunsDocument).at(-1);
const bodyRows = () => within(screen.getByRole('table')).getAllByRole('row').slice(1);

describe('the runs page', () => {
  test('lists the runs newest first, each linked to its page, with its flow and short id', async () => {
    const { api, location } = renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS), path: '/' });
    await screen.findByRole('link', { name: 'woodoo-leopard' });
    expect(location().pathname).toBe('/runs');
    expect(document.title).toBe('Flow runs · runview');
    expect(bodyRows()).toHaveLength(4);
    const row = nth(bodyRows(), 1);
    expect(row.textContent).toContain('Failed');
    expect(row.textContent).toContain('hello-world · demo');
    expect(row.textContent).toContain(uuid(2).split('-')[0]);
    expect(within(row).getByRole('link').getAttribute('href')).toBe(`/runs/${uuid(2)}`);
    expect(lastVariables(api)).toEqual({ filter: {}, limit: RUNS_PAGE_SIZE, offset: 0 });
    // The header names the API and its version once it answers.
    await screen.findByText(/1\.x · api\.test/);
  });

  test('finds a run by name, puts the name in the address, and opens it', async () => {
    const { api, location } = renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS), path: '/runs' });
    await screen.findByRole('link', { name: 'woodoo-leopard' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Flow run name' }), { target: { value: ' woodoo-leopard ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find' }));
    const region = await screen.findByRole('region', { name: 'Flow runs whose name contains “woodoo-leopard”' });
    expect(new URLSearchParams(location().search).get('name')).toBe('woodoo-leopard');
    expect(lastVariables(api)?.filter).toEqual({ name: { _ilike: '%woodoo-leopard%' } });
    const row = within(region).getByRole('row', { name: /woodoo-leopard/ });
    expect(row.textContent).toContain(uuid(1));
    expect(row.textContent).toContain('Success');
    expect(document.title).toBe('Flow runs named woodoo-leopard · runview');
    // The filters make no sense for a name search.
    expect(screen.queryByLabelText('State')).toBeNull();

    api.on(FlowRunByIdDocument, { flow_run: [] });
    fireEvent.click(within(row).getByRole('link', { name: 'woodoo-leopard' }));
    expect(location().pathname).toBe(`/runs/${uuid(1)}`);
    await screen.findByRole('heading', { level: 1, name: 'Flow run not found' });
  });

  test('the search matches a part of the name in any case, and says when nothing does', async () => {
    const { api } = renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS), path: '/runs?name=NARWHAL' });
    await screen.findByRole('row', { name: /cosmic-narwhal/ });
    expect(screen.getByRole('main').textContent).toContain('One flow run whose name contains “NARWHAL”');
    expect(lastVariables(api)?.filter).toEqual({ name: { _ilike: '%NARWHAL%' } });
  });

  test('several matches are counted; the newest are shown when there are more', async () => {
    renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS, 250), path: '/runs?name=o' });
    const region = await screen.findByRole('region', { name: 'Flow runs whose name contains “o”' });
    const rows = within(region).getAllByRole('row').slice(1);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.textContent.toLowerCase()).toContain('o');
    expect(region.textContent).toContain(`250 flow runs whose name contains “o” (the newest ${String(rows.length)} shown)`);
  });

  test('a name nothing contains says so and offers every run; Clear leaves the search', async () => {
    const { location } = renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS), path: '/runs?name=zzz-nothing' });
    await screen.findByText('No flow run name contains “zzz-nothing”.');
    expect(screen.getByRole('link', { name: 'Show all flow runs' }).getAttribute('href')).toBe('/runs');
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await screen.findByRole('link', { name: 'woodoo-leopard' });
    expect(location().search).toBe('');
  });

  test('a state filter narrows the query and the address; matching nothing offers to clear it', async () => {
    const { api, location } = renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS), path: '/runs' });
    await screen.findByRole('link', { name: 'woodoo-leopard' });
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'Failed' } });
    await waitFor(() => {
      expect(bodyRows()).toHaveLength(1);
    });
    expect(lastVariables(api)?.filter).toEqual({ state: { _eq: 'Failed' } });
    expect(new URLSearchParams(location().search).get('state')).toBe('Failed');

    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'Cancelled' } });
    await screen.findByText('No flow runs match these filters.');
    const clear = screen.getAllByRole('button', { name: 'Clear filters' });
    expect(clear).toHaveLength(2);
    fireEvent.click(nth(clear, 1));
    await waitFor(() => {
      expect(bodyRows()).toHaveLength(4);
    });
    expect(new URLSearchParams(location().search).has('state')).toBe(false);
  });

  test('a flow filter lists each flow group once and narrows by the group', async () => {
    const api = answerRuns(fakeApi(), RUNS).on(
      FlowFilterOptionsDocument,
      flowOptionsAnswer([
        { id: uuid(9), name: 'hello-world', version: 2, archived: false, flow_group_id: FLOW_GROUP_ID },
        { id: uuid(8), name: 'hello-world', version: 1, archived: true, flow_group_id: FLOW_GROUP_ID },
        { id: uuid(7), name: 'etl', version: 1, archived: false, flow_group_id: uuid(70) },
      ]),
    );
    const { location } = renderDashboard(<App />, { api, path: '/runs' });
    const select = screen.getByLabelText<HTMLSelectElement>('Flow');
    await waitFor(() => {
      expect([...select.options].map((option) => option.text)).toEqual(['Any flow', 'hello-world · demo', 'etl · demo']);
    });
    fireEvent.change(select, { target: { value: FLOW_GROUP_ID } });
    await waitFor(() => {
      expect(lastVariables(api)?.filter).toEqual({ flow: { flow_group_id: { _eq: FLOW_GROUP_ID } } });
    });
    expect(new URLSearchParams(location().search).get('flow')).toBe(FLOW_GROUP_ID);
    fireEvent.change(select, { target: { value: '' } });
    await waitFor(() => {
      expect(new URLSearchParams(location().search).has('flow')).toBe(false);
    });
  });

  test('a flow in the address that the list lacks is kept selected; a list that fails says so', async () => {
    const api = answerRuns(fakeApi(), RUNS).on(FlowFilterOptionsDocument, new TypeError('Failed to fetch'));
    renderDashboard(<App />, { api, path: `/runs?flow=${uuid(71)}` });
    const select = screen.getByLabelText<HTMLSelectElement>('Flow');
    await waitFor(() => {
      expect(select.options[0]?.text).toBe('Any flow (list unavailable)');
    });
    expect(select.value).toBe(uuid(71));
    expect(select.selectedOptions[0]?.text).toBe('Selected flow');
  });

  test('no runs at all says how they appear', async () => {
    renderDashboard(<App />, { api: answerRuns(fakeApi(), []), path: '/runs' });
    await screen.findByText('No flow runs yet.');
    expect(screen.queryByRole('navigation', { name: 'Pages of flow runs' })).toBeNull();
  });

  test('pages through the runs with the offset in the address; a new filter starts at page one', async () => {
    const many = Array.from({ length: 60 }, (_, index) => flowRunSummary({ id: uuid(index + 1), name: `run-${String(index + 1)}` }));
    const { api, location } = renderDashboard(<App />, { api: answerRuns(fakeApi(), many), path: '/runs' });
    const pager = await screen.findByRole('navigation', { name: 'Pages of flow runs' });
    expect(pager.textContent).toContain('1–25 of 60');
    fireEvent.click(within(pager).getByRole('button', { name: 'Next ›' }));
    await screen.findByRole('link', { name: 'run-26' });
    expect(new URLSearchParams(location().search).get('offset')).toBe('25');
    expect(lastVariables(api)?.offset).toBe(25);
    fireEvent.click(within(pager).getByRole('button', { name: '‹ Previous' }));
    await screen.findByRole('link', { name: 'run-1' });
    expect(new URLSearchParams(location().search).has('offset')).toBe(false);

    fireEvent.click(within(pager).getByRole('button', { name: 'Next ›' }));
    await screen.findByRole('link', { name: 'run-26' });
    fireEvent.change(screen.getByLabelText('State'), { target: { value: 'Success' } });
    await waitFor(() => {
      expect(new URLSearchParams(location().search).has('offset')).toBe(false);
    });
    // The new question is asked from its first page.
    expect(lastVariables(api)?.offset).toBe(0);
  });

  test('an offset in the address that is not a number is the first page', async () => {
    const { api } = renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS), path: '/runs?offset=-5' });
    await screen.findByRole('link', { name: 'woodoo-leopard' });
    expect(lastVariables(api)?.offset).toBe(0);
  });

  test('a failed request explains itself and retries', async () => {
    let fail: Error | GraphQLError | undefined = new TypeError('Failed to fetch');
    const api = answerRuns(fakeApi(), RUNS);
    const answer = (variables: FlowRunsQueryVariables) => fail ?? flowRunsAnswer(RUNS.filter(() => variables.offset === 0));
    api.on(FlowRunsDocument, answer).on(ApiInfoDocument, new TypeError('Failed to fetch'));
    renderDashboard(<App />, { api, path: '/runs' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Cannot reach the API');
    expect(alert.textContent).toContain('Could not load flow runs.');
    // The header says the API is down, by host.
    await screen.findByText('Cannot reach api.test');
    fail = undefined;
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('link', { name: 'woodoo-leopard' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('a query the API rejects is named as such', async () => {
    const api = answerRuns(fakeApi(), RUNS).on(FlowRunsDocument, new GraphQLError('field "flow_run" not found in type: query_root'));
    renderDashboard(<App />, { api, path: '/runs' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The API rejected the query');
    expect(alert.textContent).toContain('field "flow_run" not found');
  });

  test('arrow keys and j/k walk the rows; "/" jumps to the search', async () => {
    renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS), path: '/runs' });
    await screen.findByRole('link', { name: 'woodoo-leopard' });
    const links = bodyRows().map((row) => within(row).getByRole('link'));
    const tbody = nth(links, 0).closest('tbody');
    nth(links, 0).focus();
    fireEvent.keyDown(nth(links, 0), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(links[1]);
    fireEvent.keyDown(nth(links, 1), { key: 'j' });
    expect(document.activeElement).toBe(links[2]);
    fireEvent.keyDown(nth(links, 2), { key: 'k' });
    fireEvent.keyDown(nth(links, 1), { key: 'ArrowUp' });
    fireEvent.keyDown(nth(links, 0), { key: 'ArrowUp' });
    expect(document.activeElement).toBe(links[0]);
    // Modified keys and other keys are the browser's.
    fireEvent.keyDown(nth(links, 0), { key: 'ArrowDown', altKey: true });
    fireEvent.keyDown(nth(links, 0), { key: 'x' });
    expect(document.activeElement).toBe(links[0]);
    expect(tbody?.tagName).toBe('TBODY');

    act(() => {
      fireEvent.keyDown(document.body, { key: '/' });
    });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Flow run name' }));
    // Typing "/" in the search box is typing.
    fireEvent.keyDown(screen.getByRole('searchbox', { name: 'Flow run name' }), { key: '/' });
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Flow run name' }));
  });

  test('auto refresh can be turned off', async () => {
    renderDashboard(<App />, { api: answerRuns(fakeApi(), RUNS), path: '/runs' });
    await screen.findByRole('link', { name: 'woodoo-leopard' });
    const toggle = screen.getByRole<HTMLInputElement>('checkbox', { name: /Auto refresh/ });
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    expect(toggle.checked).toBe(false);
  });
});
