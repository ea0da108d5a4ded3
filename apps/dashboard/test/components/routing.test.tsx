// @vitest-environment happy-dom
// Addresses a person types, bookmarks or is sent: the app's routes, deep links by name, and
// what an address that leads nowhere shows.
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { FlowFilterOptionsDocument, FlowRunsByNameDocument, FlowRunsDocument } from '@runview/documents';
import { fireEvent, screen, within } from '@testing-library/react';
import { createServer } from 'node:http';
import { describe, expect, test } from 'vitest';
import { App } from '../../src/App';
import { byNameAnswer, flowOptionsAnswer, flowRunSummary, flowRunsAnswer, uuid } from '../support/fixtures';
import { RunFixture } from '../support/run-api';
import { fakeApi, renderDashboard } from '../support/render';

describe('routes', () => {
  test('the root leads to the runs; the brand and the nav link there', async () => {
    const api = fakeApi()
      .on(FlowRunsDocument, flowRunsAnswer([flowRunSummary()]))
      .on(FlowFilterOptionsDocument, flowOptionsAnswer([]));
    const { location } = renderDashboard(<App />, { api, path: '/' });
    await screen.findByRole('heading', { level: 1, name: 'Flow runs' });
    expect(location().pathname).toBe('/runs');
    expect(
      within(screen.getByRole('navigation', { name: 'Main' }))
        .getByRole('link', { name: 'Flow runs' })
        .getAttribute('href'),
    ).toBe('/runs');
    expect(screen.getByRole('link', { name: 'Skip to content' }).getAttribute('href')).toBe('#content');
  });

  test('an address that is no page says so', async () => {
    renderDashboard(<App />, { path: '/nowhere/at/all' });
    await screen.findByRole('heading', { level: 1, name: 'Page not found' });
    expect(screen.getByRole('main').textContent).toContain('There is nothing at this address.');
  });

  test('a deep link by a unique name opens the run, replacing the address', async () => {
    const api = fakeApi();
    const run = new RunFixture(api, { run: { id: uuid(42), name: 'woodoo-leopard' } });
    api.on(FlowRunsByNameDocument, ({ name }) => byNameAnswer(name === 'woodoo-leopard' ? [{ id: run.id }] : []));
    const { location } = renderDashboard(<App />, { api, path: '/runs/by-name/woodoo-leopard' });
    await screen.findByRole('heading', { level: 1, name: 'woodoo-leopard' });
    expect(location().pathname).toBe(`/runs/${run.id}`);
    expect(api.variablesOf(FlowRunsByNameDocument)).toEqual([{ name: 'woodoo-leopard' }]);
  });

  test('a name several runs share lists every one of them, matched exactly', async () => {
    const api = fakeApi()
      .on(FlowRunsByNameDocument, byNameAnswer([{ id: uuid(1) }, { id: uuid(2), state: 'Failed' }]))
      .on(FlowRunsDocument, flowRunsAnswer([flowRunSummary({ id: uuid(1), name: 'twin' }), flowRunSummary({ id: uuid(2), name: 'twin', state: 'Failed' })]));
    renderDashboard(<App />, { api, path: '/runs/by-name/twin' });
    await screen.findByRole('heading', { level: 1, name: 'Several runs are named “twin”' });
    const region = await screen.findByRole('region', { name: 'Flow runs named “twin”' });
    expect(
      within(region)
        .getAllByRole('link')
        .map((link) => link.getAttribute('href')),
    ).toEqual([`/runs/${uuid(1)}`, `/runs/${uuid(2)}`]);
    expect(region.textContent).toContain('2 flow runs named “twin”');
    expect(api.variablesOf(FlowRunsDocument).at(-1)?.filter).toEqual({ name: { _eq: 'twin' } });
  });

  test('a name no run has shows the not-found page', async () => {
    const api = fakeApi().on(FlowRunsByNameDocument, byNameAnswer([]));
    renderDashboard(<App />, { api, path: '/runs/by-name/no-such-run' });
    await screen.findByRole('heading', { level: 1, name: 'Flow run not found' });
    expect(screen.getByRole('main').textContent).toContain('No flow run is named “no-such-run”. Names are matched exactly.');
  });

  test('a name lookup that fails explains itself and retries', async () => {
    const api = fakeApi().on(FlowRunsByNameDocument, new TypeError('Failed to fetch'));
    renderDashboard(<App />, { api, path: '/runs/by-name/woodoo-leopard' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the run named “woodoo-leopard”.');
    api.on(FlowRunsByNameDocument, byNameAnswer([]));
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { level: 1, name: 'Flow run not found' });
  });
});

describe('an API that cannot be reached', () => {
  test('is named, with what to do and a retry', async () => {
    // A port that was just free: nothing listens there, so the request really fails.
    const probe = createServer();
    await new Promise<void>((resolve) => {
      probe.listen(0, '127.0.0.1', resolve);
    });
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => {
      probe.close(() => {
        resolve();
      });
    });
    const unreachable = `http://127.0.0.1:${String(port)}/graphql`;
    const apollo = new ApolloClient({ link: new HttpLink({ uri: unreachable }), cache: new InMemoryCache() });
    renderDashboard(<App />, { path: '/runs', apollo, apiUrl: unreachable });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Cannot reach the API');
    expect(alert.textContent).toContain(unreachable);
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
    await screen.findByText(`Cannot reach 127.0.0.1:${String(port)}`);
  });
});
