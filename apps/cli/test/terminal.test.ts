// The terminal path: a pseudo-terminal (util-linux `script`) makes stdout a TTY, so `watch`
// shows its spinner and colours; the piped runs of the other tests show neither.
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, childEnv, completion } from './support/cli.js';
import { simulate, startDemoServer, type DemoServer } from './support/server.js';

const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

let api: DemoServer;

beforeAll(async () => {
  if (hasScript) api = await startDemoServer();
});

afterAll(async () => {
  if (hasScript) await api.close();
});

describe.skipIf(!hasScript)('runview watch on a terminal', () => {
  it('shows a spinner with the state and elapsed time, and colours', async () => {
    const run = await simulate(api.url, 'Success', { stepMs: 600 });
    const command = [process.execPath, BIN, 'watch', run.flowRunId, '--interval', '300ms', '--endpoint', api.url].map((part) => `'${part}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: childEnv({ COLUMNS: '100' }), stdio: ['ignore', 'pipe', 'pipe'] });
    const result = await completion(child, 120_000);
    await run.done;
    expect(result.code).toBe(0);
    // A braille spinner frame, then the state and the elapsed time, redrawn in place.
    const redraw = '\r\x1b[2K';
    const frames = result.stdout.split(redraw).slice(1);
    expect(frames.some((frame) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*(Scheduled|Submitted|Running|Loading).* · \d/.test(frame))).toBe(true);
    expect(result.stdout).toContain('\x1b[38;2;40;167;69mSuccess\x1b[39m');
  });
});
