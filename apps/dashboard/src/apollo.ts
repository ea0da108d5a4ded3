import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { createClient, type RunviewClient } from '@runview/core';
import type { DashboardConfig } from './config';

/**
 * Apollo for the pages: flow runs, task runs and flows are normalised by id so a state polled
 * on one page shows on every other.
 */
export function createApolloClient(config: DashboardConfig): ApolloClient {
  const headers: Record<string, string> = {};
  if (config.apiKey !== undefined) headers['Authorization'] = `Bearer ${config.apiKey}`;
  return new ApolloClient({
    link: new HttpLink({ uri: config.apiUrl, headers }),
    cache: new InMemoryCache(),
  });
}

/** Core's client for the log stream: retries, time limits and typed errors come with it. */
export function createRunviewClient(config: DashboardConfig): RunviewClient {
  return createClient({ url: config.apiUrl, apiKey: config.apiKey });
}
