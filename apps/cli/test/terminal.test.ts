// The terminal path, in process: a stdout that says it is a terminal makes `watch` show its
// spinner and colours; the piped runs of the other tests show neither. binary.test.ts checks
// that the binary itself sees a real pseudo-terminal as one.
import { describe, expect, it } from 'vitest';
import { visibleLength } from '../src/output/table.js';
import { startMain } from './support/in-process.js';
import { simulate, useDemoServer } from './support/server.js';

const api = useDemoServer();

const ESC = String.fromCharCode(27);
const REDRAW = `\r${ESC}[2K`;
const FRAME = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /;
/** A state name in Prefect's colour for it (24-bit), as a pattern. */
const painted = (state: string, rgb = '[\\d;]+'): string => `${ESC}\\[38;2;${rgb}m${state}${ESC}\\[39m`;

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
    const frames = result.stdout.split(REDRAW).slice(1).filter((frame) => FRAME.test(frame));
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
