// The real API on a loopback port, with the demo data: one per test file.
import { createServer, type RunviewServer } from '@runview/server';
import { afterAll, beforeAll } from 'vitest';

export interface DemoServer {
  readonly server: RunviewServer;
  readonly url: string;
  close(): Promise<void>;
}

export async function startDemoServer(options: { apiKeys?: readonly string[] } = {}): Promise<DemoServer> {
  const server = await createServer({ seed: 'demo', logger: false, ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}) });
  const { url } = await server.listen(0, '127.0.0.1');
  return { server, url, close: () => server.close() };
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

/** A simulated flow run of the demo flow, driven quickly through the public mutations. */
export async function simulate(url: string, outcome: 'Success' | 'Failed', options: { stepMs?: number } = {}): Promise<{ flowRunId: string; done: Promise<string> }> {
  const { startSimulatedFlowRun } = await import('@runview/server');
  return startSimulatedFlowRun({ url, outcome, stepMs: options.stepMs ?? 150, taskCount: 2, logsPerTask: 1 });
}
