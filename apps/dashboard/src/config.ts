/** Where the dashboard reads flow runs from. */
export interface DashboardConfig {
  /** The GraphQL endpoint of Prefect Server, Prefect Cloud or `runview serve`. */
  readonly apiUrl: string;
  /** Sent as `Authorization: Bearer <key>` when present (Prefect Cloud, a secured `runview serve`). */
  readonly apiKey: string | undefined;
}

/** Settings a deployment writes into `config.js` next to the built app. */
export interface RuntimeSettings {
  readonly apiUrl?: string;
  readonly apiKey?: string;
}

declare global {
  interface Window {
    __RUNVIEW__?: RuntimeSettings;
  }
}

/** The local `runview serve`, which listens where Prefect Server 1.x does. */
export const DEFAULT_API_URL = 'http://127.0.0.1:4200/graphql';

interface BuildEnv {
  readonly VITE_RUNVIEW_API_URL?: string;
  readonly VITE_RUNVIEW_API_KEY?: string;
}

const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

/**
 * Runtime settings win over the build's environment so that one build can be pointed at any
 * server when it is served; without either, the local `runview serve`.
 */
export function resolveConfig(runtime: RuntimeSettings | undefined, env: BuildEnv): DashboardConfig {
  const apiUrl = nonEmpty(runtime?.apiUrl) ?? nonEmpty(env.VITE_RUNVIEW_API_URL) ?? DEFAULT_API_URL;
  // A runtime URL without a key means "no key", not the build's key for another server.
  const apiKey = runtime?.apiUrl !== undefined ? nonEmpty(runtime.apiKey) : (nonEmpty(runtime?.apiKey) ?? nonEmpty(env.VITE_RUNVIEW_API_KEY));
  return { apiUrl: new URL(apiUrl, window.location.href).toString(), apiKey };
}
