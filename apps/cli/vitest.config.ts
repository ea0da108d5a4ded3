import { defineConfig } from 'vitest/config';

// Most tests run `main(argv, io)` in process against a real server on a loopback port; a few
// run the built binary. The demo data is migrated and seeded once per run (globalSetup), and
// each file opens its own copy of it.
export default defineConfig({
  test: {
    // The workspace's packages run natively, as they do in the binary: transformed by vite they
    // would load a second graphql instance (ESM beside Node's CJS) that rejects the first's types
    // (the embedded server, and the drift check of in-process `runview schema check`).
    server: { deps: { external: [/\/packages\/(server|drift|documents|core)\/dist\//] } },
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // In-process runs print local times: the tests read them in UTC, as the child processes do.
    env: { TZ: 'UTC' },
    // Generous for a busy shared machine: no test waits on time, so these only bound a hang.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
