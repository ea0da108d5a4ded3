import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    // Migrates and seeds once per run; each test file starts from a copy (see the file).
    globalSetup: ['./test/global-setup.ts'],
    // A worker runs its files in one module graph: graphql-yoga, the schema and PGlite's
    // compiled WebAssembly load once per worker, not once per file (half the CPU time).
    // Files share no state but what they start and close themselves.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
