// The real API on a loopback port, with the demo data: one per test file, each on its own copy
// of the data directory the global setup migrated and seeded once (support/global-setup.ts).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createServer, startSimulatedFlowRun, type RunviewServer } from '@runview/server';
import { afterAll, beforeAll, inject } from 'vitest';

export interface DemoServer {
  readonly server: RunviewServer;
  readonly url: string;
  close(): Promise<void>;
}

/** The server's lock file: a copy must not carry it (the copy is not in use). */
const LOCK_FILE = 'runview-server.lock';

/** A fresh copy of the seeded data directory, for one server (or one `runview serve`) to own. */
export function demoDataCopy(): { readonly directory: string; remove(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'runview-cli-data-'));
  const directory = join(parent, 'pgdata');
  cpSync(inject('demoDataDirectory'), directory, { recursive: true, filter: (path) => basename(path) !== LOCK_FILE });
  return {
    directory,
    remove: () => {
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

export async function startDemoServer(options: { apiKeys?: readonly string[] } = {}): Promise<DemoServer> {
  const data = demoDataCopy();
  const server = await createServer({ database: data.directory, logger: false, ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}) });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    server,
    url,
    close: async () => {
      await server.close();
      data.remove();
    },
  };
}

/** One demo server for the calling test file: started before its tests, closed after them. */
export function useDemoServer(options: { apiKeys?: readonly string[] } = {}): { readonly url: string } {
  let api: DemoServer | undefined;
  beforeAll(async () => {
    api = await startDemoServer(options);
  });
  afterAll(async () => {
    await api?.close();
  });
  return {
    get url(): string {
      if (!api) throw new Error('the demo server is not started yet');
      return api.url;
    },
  };
}

/** The seed's flow runs, as the seed document and the demo data name them. */
export const SEED_FLOW_RUN_ID = '4c0101af-c6bb-4b96-8661-63a5bbfb5596';
export const WOODOO_LEOPARD_ID = '8e445d74-9ca6-425b-98e5-72754b7ea174';
/** The demo's mapped run: 50 `transform` children, 3 of them failed. */
export const COSMIC_NARWHAL_ID = 'f169eb3a-5a85-44de-8622-e2c40a967a20';

/**
 * A simulated flow run of the demo flow (two mapped children, a log line each). It is created
 * Scheduled and waits for `startWhen` (e.g. the watcher's first line) before its first step,
 * so a test follows it live whatever the machine's speed; then the steps follow quickly.
 */
export async function simulate(url: string, outcome: 'Success' | 'Failed', options: { startWhen?: PromiseLike<unknown>; stepMs?: number } = {}): Promise<{ flowRunId: string; done: Promise<string> }> {
  return startSimulatedFlowRun({ url, outcome, stepMs: options.stepMs ?? 20, taskCount: 2, logsPerTask: 1, ...(options.startWhen ? { startWhen: options.startWhen } : {}) });
}
