// Renders a piece of the dashboard as main.tsx does (the dashboard context, Apollo with the
// app's cache, a router), over a FakeApi instead of a server, at a chosen address.
import { ApolloClient, InMemoryCache } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import type { RunviewClient } from '@runview/core';
import { ApiInfoDocument, SubscriptionSupportDocument } from '@runview/documents';
import { cleanup, configure, queries, render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter, useLocation, type Location } from 'react-router-dom';
import { afterEach, expect } from 'vitest';
import { DashboardContext, type Dashboard } from '../../src/context';
import { FakeApi } from './api';

// A wait is a bound on how long the machine may take, never an assertion on time: a shared,
// busy machine gets as long as it needs.
configure({ asyncUtilTimeout: 15_000 });

const apis = new Set<FakeApi>();

afterEach(() => {
  cleanup();
  // A request no fixture answered is a test that does not know what the page asks.
  const used = [...apis];
  apis.clear();
  for (const api of used) expect(api.unanswered, 'operations sent without a fixture').toEqual([]);
});

/**
 * A FakeApi whose unanswered operations fail the test. It answers what every page asks of
 * any API: which API it is (the header), and that it offers no subscriptions (so core's
 * watch polls, on the test's clock).
 */
export function fakeApi(): FakeApi {
  const api = new FakeApi()
    .on(ApiInfoDocument, { api: { backend: 'runview', mode: 'normal', version: '1.x', core_version: '1.4.1', release_timestamp: null } })
    .on(SubscriptionSupportDocument, { __schema: { subscriptionType: null } });
  apis.add(api);
  return api;
}

export interface Rendered extends RenderResult {
  readonly api: FakeApi;
  readonly apollo: ApolloClient;
  /** Where the router is now. */
  readonly location: () => Location;
}

export interface RenderOptions {
  readonly api?: FakeApi;
  /** The address the router starts at. */
  readonly path?: string;
  /** Core's client; by default one answered by `api`. */
  readonly runview?: RunviewClient;
  readonly apiUrl?: string;
  /** The Apollo client; by default one answered by `api`. */
  readonly apollo?: ApolloClient;
}

export interface Providers {
  readonly api: FakeApi;
  readonly apollo: ApolloClient;
  /** The providers of main.tsx, for `render` and `renderHook`. */
  readonly wrapper: (props: { readonly children: ReactNode }) => ReactElement;
  /** Where the router is now. */
  readonly location: () => Location;
}

/** The providers of main.tsx (the dashboard context, Apollo, a router at `path`) over `api`. */
export function providers(options: RenderOptions = {}): Providers {
  const api = options.api ?? fakeApi();
  apis.add(api);
  const apollo = options.apollo ?? new ApolloClient({ link: api.link(), cache: new InMemoryCache() });
  const dashboard: Dashboard = {
    config: { apiUrl: options.apiUrl ?? api.url, apiKey: undefined },
    runview: options.runview ?? api.client(),
  };
  const current: { location: Location | undefined } = { location: undefined };
  // A wrapper, so that `rerender` keeps the providers and the router's history.
  const wrapper = ({ children }: { readonly children: ReactNode }) => (
    <DashboardContext.Provider value={dashboard}>
      <ApolloProvider client={apollo}>
        <MemoryRouter initialEntries={[options.path ?? '/']}>
          <LocationProbe into={current} />
          {children}
        </MemoryRouter>
      </ApolloProvider>
    </DashboardContext.Provider>
  );
  const location = () => {
    if (current.location === undefined) throw new TypeError('The router has not rendered');
    return current.location;
  };
  return { api, apollo, wrapper, location };
}

/** Renders `ui` inside the providers of main.tsx. */
export function renderDashboard(ui: ReactNode, options: RenderOptions = {}): Rendered {
  const { api, apollo, wrapper, location } = providers(options);
  return { ...render(ui, { wrapper, queries }), api, apollo, location };
}

function LocationProbe({ into }: { readonly into: { location: Location | undefined } }) {
  into.location = useLocation();
  return null;
}
