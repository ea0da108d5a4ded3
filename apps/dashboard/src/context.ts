import { createContext, useContext } from 'react';
import { DEFAULT_API_URL, type DashboardConfig } from './config';

export const ConfigContext = createContext<DashboardConfig>({ apiUrl: DEFAULT_API_URL, apiKey: undefined });

/** The endpoint the dashboard talks to, for messages that name it. */
export const useDashboardConfig = (): DashboardConfig => useContext(ConfigContext);
