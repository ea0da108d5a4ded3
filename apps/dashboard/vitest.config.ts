import { defineConfig } from 'vitest/config';

// Component, hook and unit tests run in Node (`// @vitest-environment happy-dom` for the ones
// that need a DOM) over typed fixtures; the browser journeys (*.e2e.test.ts) drive a real
// Chromium against a real server: slow to start, never timed.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.{ts,tsx}'],
    // Times read in the viewer's local time: the tests fix it, as the journeys' browser does.
    env: { TZ: 'UTC' },
    // graphql ships a CJS (main) and an ESM (module) build; the embedded server must run
    // natively, with the copy graphql-yoga loads, as it does in production.
    server: { deps: { external: [/\/packages\/server\/dist\//] } },
    // Coverage is of the app: the test support (fixtures, the fake API) is not what is measured.
    coverage: { include: ['src/**'] },
    // The journeys set their own, longer limits; a DOM test that hangs should fail soon.
    testTimeout: 20_000,
    // A shared 2-core machine can take a while to render; waits never assert on time.
    expect: { poll: { timeout: 30_000, interval: 100 } },
  },
});
