// The real API on a loopback port, with the demo data: shared by the files that only read, or
// one of a file's own on its own copy of the data directory the global setup migrated and
// seeded once (support/global-setup.ts).
import { afterAll, beforeAll, inject } from 'vitest';
import { copyDataDirectory, startServerOnCopy, type DataCopy, type DemoServer } from './demo-data.js';

export { SHARED_API_KEY, type DemoServer } from './demo-data.js';

/** A fresh copy of the seeded data directory, for one server (or one `runview serve`) to own. */
export function demoDataCopy(): DataCopy {
  return copyDataDirectory(inject('demoDataDirectory'));
}

/** A demo server of the caller's own (it may write), on its own copy of the data. */
export function startDemoServer(options: { apiKeys?: readonly string[] } = {}): Promise<DemoServer> {
  return startServerOnCopy(inject('demoDataDirectory'), options);
}

/**
 * The demo server shared by every file that only reads (started by the global setup): `open`
 * takes no key; `keyed` requires `SHARED_API_KEY`. A file that writes (a
 * simulated run, a new flow) uses {@link useDemoServer} instead.
 */
export function sharedDemoServer(kind: 'open' | 'keyed' = 'open'): { readonly url: string } {
  return { url: inject(kind === 'open' ? 'sharedDemoApi' : 'sharedKeyedDemoApi') };
}

/** One demo server of the calling test file's own: started before its tests, closed after them. */
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
export async function simulate(
  url: string,
  outcome: 'Success' | 'Failed',
  options: { startWhen?: PromiseLike<unknown>; stepMs?: number } = {},
): Promise<{ flowRunId: string; done: Promise<string> }> {
  const { startSimulatedFlowRun } = await import('@runview/server');
  return startSimulatedFlowRun({
    url,
    outcome,
    stepMs: options.stepMs ?? 20,
    taskCount: 2,
    logsPerTask: 1,
    ...(options.startWhen ? { startWhen: options.startWhen } : {}),
  });
}
