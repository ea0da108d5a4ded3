import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { SEED_FLOW_RUN_ID, useDemoServer } from './support/server.js';

const api = useDemoServer();

// Prefect's Success colour, #28a745, as a 24-bit foreground colour.
const SUCCESS = '\x1b[38;2;40;167;69mSuccess\x1b[39m';

describe('colours', () => {
  it("paints states in Prefect's colours with FORCE_COLOR", async () => {
    const result = await runCli(['inspect', SEED_FLOW_RUN_ID, '--endpoint', api.url], { env: { FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${SUCCESS}: All reference tasks succeeded.`);
  });

  it('stays plain when piped, with NO_COLOR, and with --no-color', async () => {
    for (const [args, env] of [
      [[], {}],
      [[], { FORCE_COLOR: '1', NO_COLOR: '1' }],
      [['--no-color'], { FORCE_COLOR: '1' }],
    ] as const) {
      const result = await runCli(['inspect', SEED_FLOW_RUN_ID, '--endpoint', api.url, ...args], { env });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Success: All reference tasks succeeded.');
      expect(result.stdout).not.toContain('\x1b[');
    }
  });
});
