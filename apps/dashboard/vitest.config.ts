import { defineConfig } from 'vitest/config';

// Browser tests drive a real Chromium against a real server: slow to start, never timed.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // graphql ships a CJS (main) and an ESM (module) build; the embedded server must run
    // natively, with the copy graphql-yoga loads, as it does in production.
    server: { deps: { external: [/\/packages\/server\/dist\//] } },
    testTimeout: 90_000,
    // A shared 2-core machine can take a while to render; waits never assert on time.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
