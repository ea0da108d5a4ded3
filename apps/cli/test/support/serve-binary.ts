// `runview serve` as a child process: started, asked for the demo data once it prints its URL,
// then stopped with SIGTERM, as a service manager stops it.
import { expect } from 'vitest';
import { completion, spawnCli, waitForLine, type CliResult } from './cli.js';
import { runMain } from './in-process.js';

/** Serves with `args`, checks that the demo data answers, stops it with SIGTERM; its whole result. */
export async function serveDemoUntilSigterm(args: readonly string[], timeoutMs?: number): Promise<CliResult> {
  const child = spawnCli(['serve', '--port', '0', '--seed', 'demo', ...args]);
  const done = completion(child, timeoutMs);
  const url = await waitForLine(child, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/, timeoutMs);
  try {
    const runs = await runMain(['runs', '--name', 'woodoo-leopard', '--endpoint', url]);
    expect(runs.stderr).toBe('');
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain('woodoo-leopard');
  } finally {
    child.kill('SIGTERM');
  }
  return done;
}
