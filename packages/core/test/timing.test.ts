// The pure timing pieces the watch and the client stand on: durations a caller gives, delays
// made safe for a timer, Prefect's "5 minutes ago", and waits that a signal cuts short, run on
// a virtual clock (test/support/virtual-clock.ts) so that nothing here waits on the wall clock.
import { describe, expect, it } from 'vitest';
import { clock, sleep, systemClock, useClock } from '../src/clock.js';
import { AbortError, InvalidArgumentError, MAX_TIMER_MS } from '../src/index.js';
import { requireDuration, timerDelay } from '../src/timers.js';
import { timeAgo } from '../src/display/relative.js';
import { delay, within } from '../src/watch/wait.js';
import { useVirtualClock } from './support/virtual-clock.js';

describe('requireDuration and timerDelay', () => {
  it('take positive (or, when allowed, zero) finite milliseconds up to the longest timer', () => {
    expect(requireDuration(1, 'timeoutMs')).toBe(1);
    expect(requireDuration(0, 'drainMs', true)).toBe(0);
    expect(requireDuration(MAX_TIMER_MS, 'timeoutMs')).toBe(MAX_TIMER_MS);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5', null, MAX_TIMER_MS + 1])('refuse %s with an InvalidArgumentError naming the argument', (value) => {
    const error = (() => {
      try {
        requireDuration(value, 'pollIntervalMs');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).message).toMatch(/^pollIntervalMs must be /);
  });

  it('cap a computed delay to [0, the longest timer]', () => {
    expect(timerDelay(-5)).toBe(0);
    expect(timerDelay(250)).toBe(250);
    expect(timerDelay(MAX_TIMER_MS * 2)).toBe(MAX_TIMER_MS);
  });
});

describe('timeAgo', () => {
  const now = new Date('2021-05-15T08:01:00Z');
  it.each([
    ['2021-05-15T08:00:55Z', 'a few seconds ago'],
    ['2021-05-15T08:00:30Z', '30 seconds ago'],
    ['2021-05-15T08:00:00Z', '1 minute ago'],
    ['2021-05-14T09:59:00Z', '22 hours ago'],
    ['2021-05-13T08:01:00Z', '2 days ago'],
    ['2021-04-01T08:01:00Z', '1 month ago'],
    ['2019-05-15T08:01:00Z', '2 years ago'],
    // A clock behind the server's: never "in the future".
    ['2021-05-15T08:02:00Z', 'a few seconds ago'],
  ])('says %s was %s', (then, said) => {
    expect(timeAgo(new Date(then), now)).toBe(said);
  });
});

describe('the clock', () => {
  it('is the system clock unless another is put in place, and comes back when restored', () => {
    expect(clock()).toBe(systemClock);
    const virtual = useVirtualClock(1_000);
    expect(clock()).not.toBe(systemClock);
    expect(clock().now()).toBe(1_000);
    virtual.restore();
    expect(clock()).toBe(systemClock);
    const other = { ...systemClock };
    const restore = useClock(other);
    expect(clock()).toBe(other);
    restore();
    expect(clock()).toBe(systemClock);
  });
});

describe('within and delay on a virtual clock', () => {
  it('moves on through a delay at once, firing timers due on the way in order', async () => {
    const virtual = useVirtualClock(0);
    try {
      const fired: string[] = [];
      clock().after(300, () => fired.push('after 300'));
      clock().after(100, () => fired.push('after 100'));
      const cancelled = clock().after(200, () => fired.push('cancelled'));
      cancelled();
      await delay(250, new AbortController().signal);
      expect(virtual.elapsed()).toBe(250);
      expect(fired).toEqual(['after 100']);
      await delay(100, new AbortController().signal);
      expect(fired).toEqual(['after 100', 'after 300']);
      expect(virtual.now()).toBe(350);
    } finally {
      virtual.restore();
    }
  });

  it('ends a delay with an AbortError when a timer due on the way aborts it', async () => {
    const virtual = useVirtualClock(0);
    try {
      const controller = new AbortController();
      clock().after(1_000, () => {
        controller.abort(new Error('timed out'));
      });
      await expect(delay(5_000, controller.signal)).rejects.toBeInstanceOf(AbortError);
      // The clock stopped where the abort came.
      expect(virtual.now()).toBe(1_000);
    } finally {
      virtual.restore();
    }
  });

  it('sleeps once, on the clock, for the client, the watch and the dashboard alike; an abort says what stopped and why', async () => {
    const virtual = useVirtualClock(0);
    try {
      await sleep(1_500);
      expect(virtual.now()).toBe(1_500);
      const controller = new AbortController();
      const reason = new Error('gone');
      clock().after(200, () => {
        controller.abort(reason);
      });
      const stopped = await sleep(5_000, controller.signal, 'The log follower was stopped').catch((caught: unknown) => caught);
      expect(stopped).toBeInstanceOf(AbortError);
      expect((stopped as AbortError).message).toBe('The log follower was stopped');
      expect((stopped as AbortError).cause).toBe(reason);
      expect(virtual.now()).toBe(1_700);
      await expect(sleep(10, controller.signal)).rejects.toThrow('The call was aborted');
      expect(virtual.now()).toBe(1_700);
    } finally {
      virtual.restore();
    }
  });

  it('lets a promise win within its time, and waits on time alone for nothing else', async () => {
    const virtual = useVirtualClock(0);
    try {
      const signal = new AbortController().signal;
      await expect(within(Promise.resolve('answer'), 1_000, signal)).resolves.toBe('answer');
      await expect(within(Promise.reject(new TypeError('failed')), 1_000, signal)).rejects.toBeInstanceOf(TypeError);
      // `within` also waits on its promise: the clock does not move on by itself...
      let settled = false;
      const pending = within(new Promise<never>(() => undefined), 1_000, signal).then(() => {
        settled = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      // ...until something waits on time alone past it.
      await delay(1_000, signal);
      await pending;
      expect(settled).toBe(true);
      expect(virtual.now()).toBe(1_000);
      await expect(delay(0, signal)).resolves.toBeUndefined();
    } finally {
      virtual.restore();
    }
  });

  it('rejects at once when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(delay(10, controller.signal)).rejects.toBeInstanceOf(AbortError);
    await expect(delay(0, controller.signal)).rejects.toBeInstanceOf(AbortError);
    await expect(within(Promise.resolve(1), 10, controller.signal)).rejects.toBeInstanceOf(AbortError);
  });
});
