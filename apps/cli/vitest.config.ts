import { defineConfig } from 'vitest/config';

// The tests run the built binary against a real server: process start-up and the embedded
// database dominate, so timeouts are generous and each file shares one server.
export default defineConfig({
  test: {
    // The embedded server runs natively, as it does in `runview serve`: transformed by vite it
    // would load a second graphql instance (ESM beside Node's CJS) that rejects the first's types.
    server: { deps: { external: [/\/packages\/server\/dist\//] } },
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
