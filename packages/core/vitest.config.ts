import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// graphql ships a CJS (main) and an ESM (module) build; Node loads the CJS one for the packages
// it runs natively (Apollo, graphql-yoga), and vite would give our sources the ESM one. Two
// instances reject each other's schemas and types, so everything gets Node's copy, and the
// embedded server runs natively, as it does in production.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    server: { deps: { external: [/\/packages\/server\/dist\//] } },
    // One worker, files in sequence, modules shared: the test files share one embedded server
    // (test/support/server.ts), whose start-up and demo data dominate the run.
    isolate: false,
    fileParallelism: false,
    // Migrates and seeds the databases once per run; servers start from copies (test/support/snapshots.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
