import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // graphql ships CJS (main) and ESM (module) builds, and vite resolves sources it
    // transforms to the ESM one while Node loads the CJS one for external packages. Two
    // graphql instances reject each other's types, so each side gets one: the inspector is
    // transformed with our sources, the embedded server runs natively with graphql-yoga.
    server: { deps: { inline: ['@graphql-inspector/core'], external: [/\/packages\/server\/dist\//] } },
    // The files share one module graph: the inspector and graphql load once, not per file.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
