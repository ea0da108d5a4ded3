import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import type { DashboardConfig } from './config';

/**
 * One Apollo client for the app. Flow runs, task runs and flows are normalised by id so a
 * state polled on one page shows on every other; logs bypass the cache (see logs/).
 */
export function createApolloClient(config: DashboardConfig): ApolloClient {
  const headers: Record<string, string> = {};
  if (config.apiKey !== undefined) headers['Authorization'] = `Bearer ${config.apiKey}`;
  return new ApolloClient({
    link: new HttpLink({ uri: config.apiUrl, headers }),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { notifyOnNetworkStatusChange: false } },
  });
}
