import type { RunviewClient } from '@runview/core';
import { createContext, useContext } from 'react';
import { DEFAULT_API_URL, type DashboardConfig } from './config';

/** What every page shares: where the API is, and core's client for what Apollo does not read. */
export interface Dashboard {
  readonly config: DashboardConfig;
  /** Core's client: follows logs with its keyset iterator. */
  readonly runview: RunviewClient | undefined;
}

export const DashboardContext = createContext<Dashboard>({ config: { apiUrl: DEFAULT_API_URL, apiKey: undefined }, runview: undefined });

/** The endpoint the dashboard talks to, for messages that name it. */
export const useDashboardConfig = (): DashboardConfig => useContext(DashboardContext).config;

/** Core's client; the app provides one at its root. */
export function useRunviewClient(): RunviewClient {
  const { runview } = useContext(DashboardContext);
  if (runview === undefined) throw new TypeError('useRunviewClient needs a DashboardContext provider with a client');
  return runview;
}
