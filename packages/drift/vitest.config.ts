import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // graphql ships CJS (main) and ESM (module) builds. Vite resolves our sources to the ESM
    // build while Node would load the inspector's import of graphql as CJS: two graphql
    // instances that reject each other's types. Inlining the inspector keeps one.
    server: { deps: { inline: ['@graphql-inspector/core'] } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
