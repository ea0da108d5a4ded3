// A closed stdout (`runview ... | head -N`) ends the printing quietly (no EPIPE, no stack trace)
// with the run's own exit code; here in process, with a stdout that closes after N lines. The
// binary's own EPIPE handling, with bash's pipefail, is in binary.test.ts.
import { describe, expect, it } from 'vitest';
import { runMain } from './support/in-process.js';
import { COSMIC_NARWHAL_ID, SEED_FLOW_RUN_ID, simulate, useDemoServer } from './support/server.js';

const api = useDemoServer();

/** `runview ARGS | head -N`, in process. */
function intoHead(args: readonly string[], lines: number) {
  return runMain(args, { env: { RUNVIEW_API_URL: api.url }, closeStdoutAfterLines: lines });
}

describe('into a stdout that closes', () => {
  it("watch of a finished run ends with the run's code: 0 for a success, 1 for a failure", async () => {
    const success = await intoHead(['watch', SEED_FLOW_RUN_ID], 2);
    expect(success.stderr).toBe('');
    expect(success.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(success.code).toBe(0);
    const failure = await intoHead(['watch', COSMIC_NARWHAL_ID], 2);
    expect(failure.stderr).toBe('');
    expect(failure.code).toBe(1);
  });

  it('watch of a live run stops printing but follows it to its end', async () => {
    let started: () => void = () => undefined;
    const run = await simulate(api.url, 'Failed', { startWhen: new Promise<void>((resolve) => (started = resolve)) });
    // The first line (the Scheduled state) closes stdout; the run starts after it.
    const watching = runMain(['watch', run.flowRunId, '--interval', '300ms'], {
      env: { RUNVIEW_API_URL: api.url },
      closeStdoutAfterLines: 1,
      onStdout: () => {
        started();
      },
    });
    const result = await watching;
    expect(await run.done).toBe('Failed');
    expect(result.stderr).toBe('');
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('logs --follow and logs end quietly with 0', async () => {
    const run = await simulate(api.url, 'Success');
    const followed = await intoHead(['logs', run.flowRunId, '--follow', '--interval', '300ms'], 2);
    expect(followed.stderr).toBe('');
    expect(followed.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(followed.code).toBe(0);
    await run.done;
    const logs = await intoHead(['logs', COSMIC_NARWHAL_ID], 1);
    expect(logs.stderr).toBe('');
    expect(logs.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(logs.code).toBe(0);
    const help = await intoHead(['--help'], 1);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
  });
});
