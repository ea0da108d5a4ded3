/**
 * One server per backend and test file, started before the file's tests and closed after
 * them, with a data set inserted once.
 */
import { afterAll, beforeAll } from 'vitest';
import type { RunviewServer, ServerOptions } from '../../src/index.js';
import { startTestServer, type Backend, type TestServer } from '../mutations-harness.js';

export interface ServerFixture<T> {
  readonly server: RunviewServer;
  readonly data: T;
}

/** Registers the hooks; read `server` and `data` from the returned object inside tests. */
export function useTestServer<T>(
  backend: Backend,
  setup: (server: RunviewServer) => Promise<T>,
  options: Omit<ServerOptions, 'database'> = {},
): ServerFixture<T> {
  let started: TestServer | undefined;
  let data: { readonly value: T } | undefined;
  beforeAll(async () => {
    started = await startTestServer(backend, options);
    data = { value: await setup(started.server) };
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get server(): RunviewServer {
      if (started === undefined) throw new Error('the test server has not started');
      return started.server;
    },
    get data(): T {
      if (data === undefined) throw new Error('the test data has not been inserted');
      return data.value;
    },
  };
}
