import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Pure functions and schemas: the files share one module graph.
    isolate: false,
    coverage: { include: ['src/**'] },
  },
});
