import { defineConfig } from 'vitest/config';

// Browser tests drive a real Chromium against a real server: slow to start, never timed.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
