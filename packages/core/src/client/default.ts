/**
 * The client views use when none is passed: created on first use from the environment
 * (`RUNVIEW_API_URL`, Prefect 1's settings, or a local Prefect Server).
 */
import { createClient, type RunviewClient } from './client.js';

let defaultClient: RunviewClient | null = null;

/** The shared default client, created from the environment on first use. */
export function getDefaultClient(): RunviewClient {
  defaultClient ??= createClient();
  return defaultClient;
}

/** Replaces the shared default client (or resets it with null), e.g. once at start-up. */
export function setDefaultClient(client: RunviewClient | null): void {
  defaultClient = client;
}
