// `logs` and `watch` of finished and live runs, in process. A live run waits in Scheduled until
// the command has attached (its first output), then runs its steps: the command follows it
// live whatever the machine's speed, and the tests wait on its end, never on the clock.
// On a terminal (a stdout that says it is one) `watch` shows its spinner and colours; the piped
// runs show neither. binary.test.ts checks that the binary itself sees a real pseudo-terminal.
import { describe, expect, it } from 'vitest';
import { visibleLength } from '../src/output/table.js';
import { runMain, startMain } from './support/in-process.js';
import { simulate, useDemoServer } from './support/server.js';

const api = useDemoServer();

const ESC = String.fromCharCode(27);
const REDRAW = `\r${ESC}[2K`;
const FRAME = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /;
/** A state name in Prefect's colour for it (24-bit), as a pattern. */
const painted = (state: string, rgb = '[\\d;]+'): string => `${ESC}\\[38;2;${rgb}m${state}${ESC}\\[39m`;

const LOG_LINE = /^(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2} \| (DEBUG|INFO|WARNING|ERROR|CRITICAL) {0,4}\s\| /;

/** A deferred start: the simulated run begins its steps when `open()` is called. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('runview logs', () => {
  it("prints a run's lines in Prefect's format, filtered by level, head and tail", async () => {
    const env = { RUNVIEW_API_URL: api.url };
    const runs = JSON.parse((await runMain(['runs', '--name', 'bald-butterfly', '--json'], { env })).stdout) as { data: { flowRuns: { flowRunId: string }[] } };
    const id = runs.data.flowRuns[0]?.flowRunId ?? '';

    const all = await runMain(['logs', id], { env });
    expect(all.code).toBe(0);
    const starts = all.stdout.split('\n').filter((line) => LOG_LINE.test(line));
    expect(starts.length).toBeGreaterThan(2);

    const errors = await runMain(['logs', id, '--level', 'error'], { env });
    const errorLines = errors.stdout.split('\n').filter((line) => LOG_LINE.test(line));
    expect(errorLines.length).toBeGreaterThan(0);
    expect(errorLines.length).toBeLessThan(starts.length);
    for (const line of errorLines) expect(line).toMatch(/^(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2} \| (ERROR {2}|CRITICAL) \| /);

    const tail = await runMain(['logs', id, '--tail', '1', '--json'], { env });
    const tailLines = tail.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { data: { message: string } });
    expect(tailLines).toHaveLength(1);
    expect(starts.at(-1)).toContain(tailLines[0]?.data.message ?? '');
  });

  it('follows a live run until it ends', async () => {
    // `logs --follow` prints nothing before the run's first line: the run starts once the
    // command runs. Live or caught up from its history, every line comes once and in order.
    const start = gate();
    const run = await simulate(api.url, 'Success', { startWhen: start.opened });
    const following = startMain(['logs', run.flowRunId, '--follow', '--interval', '300ms', '--endpoint', api.url]);
    start.open();
    const result = await following.result;
    expect(await run.done).toBe('Success');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.every((line) => LOG_LINE.test(line) || line.startsWith(' '))).toBe(true);
    expect(lines.some((line) => line.includes("Beginning Flow run for 'etl'"))).toBe(true);
    expect(lines.some((line) => line.includes('Flow run SUCCESS: all reference tasks succeeded'))).toBe(true);
    // Every line once: the cursor neither skips nor repeats.
    expect(new Set(lines).size).toBe(lines.length);
  });
});

describe('runview watch', () => {
  it('exits 0 when the run ends successful, with its states, task runs and logs', async () => {
    const start = gate();
    const run = await simulate(api.url, 'Success', { startWhen: start.opened });
    const watching = startMain(['watch', run.flowRunId, '--interval', '300ms', '--endpoint', api.url]);
    // It has seen the run before its first step: what follows, it sees live.
    await watching.stdoutMatching(/Entered state <Scheduled>/);
    start.open();
    const result = await watching.result;
    expect(await run.done).toBe('Success');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\| STATE {3}\| Entered state <Running>: /);
    expect(result.stdout).toMatch(/\| TASK {4}\| Task run extract-1 entered state <Success>: /);
    expect(result.stdout).toMatch(/\| INFO {4}\| Beginning Flow run for 'etl'/);
    expect(result.stdout).toMatch(/ended in state Success: /);
    // Piped: no spinner, no escape codes.
    expect(result.stdout).not.toContain('\x1b');
  });

  it('exits 1 when the run fails, printing JSON lines with --json', async () => {
    const start = gate();
    const run = await simulate(api.url, 'Failed', { startWhen: start.opened });
    const watching = startMain(['watch', run.flowRunId, '--interval', '300ms', '--json', '--endpoint', api.url]);
    await watching.stdoutMatching(/"type":"state"/);
    start.open();
    const result = await watching.result;
    expect(await run.done).toBe('Failed');
    expect(result.code).toBe(1);
    const events = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['state', 'taskRun', 'log', 'result']));
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { exitCode: 1, flowRun: { state: 'Failed' } } });
  });

  it('exits 5 when --timeout passes first', async () => {
    const runs = JSON.parse((await runMain(['runs', '--state', 'Running', '--json', '--endpoint', api.url])).stdout) as {
      data: { flowRuns: { flowRunId: string; name: string }[] };
    };
    const running = runs.data.flowRuns.find((run) => run.name === 'spiffy-otter');
    expect(running).toBeDefined();
    const result = await runMain(['watch', running?.flowRunId ?? '', '--timeout', '2s', '--endpoint', api.url]);
    expect(result.code).toBe(5);
    // What it can say depends on whether the first answer came within the 2 s.
    const id = running?.flowRunId ?? '';
    expect([
      `error: Timed out after 2s: flow run ${id} is still Running.`,
      `error: Timed out after 2s before the API answered about flow run ${id}.`,
    ]).toContain(result.stderr.trim());
  });

  it('stops cleanly on Ctrl-C with exit code 130', async () => {
    const runs = JSON.parse((await runMain(['runs', '--name', 'spiffy-otter', '--exact', '--json', '--endpoint', api.url])).stdout) as {
      data: { flowRuns: { flowRunId: string }[] };
    };
    const id = runs.data.flowRuns[0]?.flowRunId ?? '';
    const watching = startMain(['watch', id, '--endpoint', api.url]);
    await watching.stdoutMatching(/Entered state <Running>/);
    watching.stop();
    const result = await watching.result;
    expect(result.code).toBe(130);
    expect(result.stderr).toBe(`error: Stopped watching flow run ${id}.\n`);
  });
});

describe('runview watch on a terminal', () => {
  it('shows a spinner with the state and elapsed time, and colours', async () => {
    let start: () => void = () => undefined;
    const run = await simulate(api.url, 'Success', { startWhen: new Promise<void>((resolve) => (start = resolve)) });
    const watching = startMain(['watch', run.flowRunId, '--interval', '300ms', '--endpoint', api.url], { columns: 100 });
    // The run waits in Scheduled until the spinner has shown that state: a frame drawn after the first event.
    await watching.stdoutMatching(new RegExp(`\\r${ESC}\\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ${painted('Scheduled')} · \\d`));
    start();
    const result = await watching.result;
    expect(await run.done).toBe('Success');
    expect(result.code).toBe(0);
    // Each frame is a braille spinner character, then the state and the elapsed time, redrawn in place.
    const frames = result.stdout
      .split(REDRAW)
      .slice(1)
      .filter((frame) => FRAME.test(frame));
    expect(frames[0]).toMatch(new RegExp(`^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Loading · [\\d.]+m?s · watching ${run.flowRunId}$`));
    expect(frames.some((frame) => /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] .*Scheduled.* · \d/.test(frame))).toBe(true);
    // A frame fits the terminal's line (it is cut, never wrapped).
    for (const frame of frames) expect(visibleLength(frame.split('\n')[0] ?? '')).toBeLessThan(100);
    // The spinner is erased for good at the end: the last line is the result, in colour.
    const lastLine = result.stdout.slice(result.stdout.lastIndexOf('\n', result.stdout.length - 2) + 1);
    const last = lastLine.split(REDRAW).at(-1) ?? '';
    expect(last).toMatch(new RegExp(`^Flow run \\S+ ended in state ${painted('Success', '40;167;69')}: All reference tasks succeeded\\.\\n$`));
  });
});
