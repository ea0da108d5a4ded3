/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The GraphQL endpoint the build talks to (default: the local `runview serve`). */
  readonly VITE_RUNVIEW_API_URL?: string;
  /** An API key, sent as a bearer token. */
  readonly VITE_RUNVIEW_API_KEY?: string;
}
