import { defineConfig } from 'vitest/config';

// The tests run the built binary against a real server: process start-up and the embedded
// database dominate, so timeouts are generous and each file shares one server.
export default defineConfig({
  test: {
    // The workspace's packages run natively, as they do in the binary: transformed by vite they
    // would load a second graphql instance (ESM beside Node's CJS) that rejects the first's types
    // (the embedded server, and the drift check of in-process `runview schema check`).
    server: { deps: { external: [/\/packages\/(server|drift|documents|core)\/dist\//] } },
    include: ['test/**/*.test.ts'],
    // In-process runs print local times: the tests read them in UTC, as the child processes do.
    env: { TZ: 'UTC' },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
