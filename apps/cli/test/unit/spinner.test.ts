// The watch spinner on a controllable clock: frames every 80 ms, its text recomputed on each,
// cut to the terminal's width, erased before other lines and for good at the end; nothing at
// all on a pipe.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Spinner } from '../../src/output/spinner.js';

const CLEAR = '\r\x1b[2K';

function terminal(
  columns: number | undefined,
  isTTY = true,
): { writes: string[]; stream: { write(chunk: string): boolean; isTTY: boolean; columns: number | undefined } } {
  const writes: string[] = [];
  return {
    writes,
    stream: {
      write: (chunk: string) => {
        writes.push(chunk);
        return true;
      },
      isTTY,
      columns,
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Spinner', () => {
  it('draws at once, then a new frame every 80 ms with its text recomputed', () => {
    const { writes, stream } = terminal(100);
    let state = 'Scheduled';
    const spinner = new Spinner(stream, () => `${state} · watching`, true);
    spinner.start();
    expect(writes).toEqual([`${CLEAR}⠋ Scheduled · watching`]);
    vi.advanceTimersByTime(79);
    expect(writes).toHaveLength(1);
    state = 'Running';
    vi.advanceTimersByTime(1);
    expect(writes.at(-1)).toBe(`${CLEAR}⠙ Running · watching`);
    vi.advanceTimersByTime(80 * 9);
    // Ten frames, then round again.
    expect(writes.map((write) => write.slice(CLEAR.length, CLEAR.length + 1)).join('')).toBe('⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏⠋');
    spinner.stop();
  });

  it('erases itself before another line, and redraws on the next frame', () => {
    const { writes, stream } = terminal(100);
    const spinner = new Spinner(stream, () => 'Running', true);
    spinner.start();
    spinner.clear();
    expect(writes).toEqual([`${CLEAR}⠋ Running`, CLEAR]);
    // Nothing shown: nothing to erase.
    spinner.clear();
    expect(writes).toHaveLength(2);
    vi.advanceTimersByTime(80);
    expect(writes.at(-1)).toBe(`${CLEAR}⠙ Running`);
    spinner.stop();
  });

  it('stops for good, erasing its line; a second start while running adds no timer', () => {
    const { writes, stream } = terminal(100);
    const spinner = new Spinner(stream, () => 'Running', true);
    spinner.start();
    spinner.start();
    vi.advanceTimersByTime(80);
    expect(writes).toHaveLength(2);
    spinner.stop();
    expect(writes.at(-1)).toBe(CLEAR);
    vi.advanceTimersByTime(800);
    expect(writes).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("is cut to one less than the terminal's width, 80 when the terminal reports none", () => {
    const narrow = terminal(12);
    new Spinner(narrow.stream, () => 'Running · 1m 5s · watching hitchhiking-dolphin', true).start();
    expect(narrow.writes[0]).toBe(`${CLEAR}⠋ Running …`);
    const unknown = terminal(0);
    new Spinner(unknown.stream, () => 'x'.repeat(200), true).start();
    expect(unknown.writes[0]).toBe(`${CLEAR}⠋ ${'x'.repeat(76)}…`);
    vi.clearAllTimers();
  });

  it('does nothing on a pipe, or when disabled (--json)', () => {
    for (const [stream, enabled] of [
      [terminal(100, false), true],
      [terminal(100), false],
    ] as const) {
      const spinner = new Spinner(stream.stream, () => 'Running', enabled);
      spinner.start();
      vi.advanceTimersByTime(800);
      spinner.clear();
      spinner.stop();
      expect(stream.writes).toEqual([]);
    }
    expect(vi.getTimerCount()).toBe(0);
  });
});
