import { describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { SEED_FLOW_RUN_ID, sharedDemoServer } from './support/server.js';

const api = sharedDemoServer();
const inspect = (args: readonly string[], options: Parameters<typeof runMain>[1] = {}) =>
  runMain(['inspect', SEED_FLOW_RUN_ID, '--endpoint', api.url, ...args], options);

// Prefect's Success colour, #28a745, as a 24-bit foreground colour.
const SUCCESS = '\x1b[38;2;40;167;69mSuccess\x1b[39m';

describe('colours', () => {
  it("paints states in Prefect's colours with FORCE_COLOR, and on a terminal", async () => {
    for (const options of [{ env: { FORCE_COLOR: '1' } }, { columns: 100 }]) {
      const result = await inspect([], options);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`${SUCCESS}: All reference tasks succeeded.`);
    }
  });

  it('stays plain when piped, with NO_COLOR, with --no-color, and on a dumb terminal', async () => {
    for (const [args, options] of [
      [[], {}],
      [[], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }],
      [['--no-color'], { env: { FORCE_COLOR: '1' } }],
      [['--no-color'], { columns: 100 }],
      [[], { columns: 100, env: { TERM: 'dumb' } }],
    ] as const) {
      const result = await inspect(args, options);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Success: All reference tasks succeeded.');
      expect(result.stdout).not.toContain('\x1b[');
    }
  });
});
