// The built binary piped into `head`: a closed stdout ends the command quietly (no EPIPE, no
// stack trace) with the run's own exit code, checked with bash's pipefail.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, childEnv, completion } from './support/cli.js';
import { SEED_FLOW_RUN_ID, simulate, useDemoServer } from './support/server.js';

const api = useDemoServer();
const COSMIC_NARWHAL = 'f169eb3a-5a85-44de-8622-e2c40a967a20';

/** `runview ARGS | head -N` under `set -o pipefail`: the pipeline's code is runview's unless it is 0. */
function pipedIntoHead(args: readonly string[], lines: number) {
  const command = `set -o pipefail; '${process.execPath}' '${BIN}' ${args.map((arg) => `'${arg}'`).join(' ')} | head -${String(lines)}`;
  return completion(spawn('bash', ['-c', command], { env: childEnv({ RUNVIEW_API_URL: api.url }), stdio: ['ignore', 'pipe', 'pipe'] }), 120_000);
}

describe('piped into head', () => {
  it("watch of a finished run ends with the run's code: 0 for a success, 1 for a failure", async () => {
    const success = await pipedIntoHead(['watch', SEED_FLOW_RUN_ID], 2);
    expect(success.stderr).toBe('');
    expect(success.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(success.code).toBe(0);
    const failure = await pipedIntoHead(['watch', COSMIC_NARWHAL], 2);
    expect(failure.stderr).toBe('');
    expect(failure.code).toBe(1);
  });

  it('watch of a live run stops printing but follows it to its end', async () => {
    const run = await simulate(api.url, 'Failed', { stepMs: 200 });
    const result = await pipedIntoHead(['watch', run.flowRunId, '--interval', '300ms'], 1);
    expect(await run.done).toBe('Failed');
    expect(result.stderr).toBe('');
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('logs --follow and logs end quietly with 0', async () => {
    const run = await simulate(api.url, 'Success', { stepMs: 300 });
    const followed = await pipedIntoHead(['logs', run.flowRunId, '--follow', '--interval', '300ms'], 2);
    expect(followed.stderr).toBe('');
    expect(followed.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(followed.code).toBe(0);
    await run.done;
    const logs = await pipedIntoHead(['logs', COSMIC_NARWHAL], 1);
    expect(logs.stderr).toBe('');
    expect(logs.code).toBe(0);
    const help = await pipedIntoHead(['--help'], 1);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
  });
});
