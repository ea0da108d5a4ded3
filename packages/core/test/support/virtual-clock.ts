// A clock for watches and the client's retries that counts time instead of waiting for it:
// when the code waits on time alone (a poll interval, a retry's wait) the clock moves on to the
// end of that wait at once, firing on the way every timer that falls due (a timeout), in order.
// Requests still take their real time, but they take none on this clock, so what a watch does
// after 15 s or 30 s depends on the number of polls it made, never on how fast the machine is.
// A watch in live mode waits on pushes and time together, which this clock does not move on:
// use it for polling watches only.
import { useClock, type Clock } from '../../src/clock.js';

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
}

export interface VirtualClock {
  /** The clock's time, in milliseconds since the epoch. */
  now(): number;
  /** Milliseconds the clock moved on since it was put in place. */
  elapsed(): number;
  /** Moves the time on by `ms`, firing every timer due by then, in order (a timeout while a request hangs). */
  advance(ms: number): void;
  /** Puts the system's clock back. */
  restore(): void;
}

/** Puts a virtual clock in place of the watch's clock, starting at `start`. */
export function useVirtualClock(start: number = Date.now()): VirtualClock {
  let now = start;
  let order = 0;
  const timers = new Set<Timer>();
  const schedule = (ms: number, callback: () => void): Timer => {
    const timer = { at: now + Math.max(0, ms), order: order++, callback };
    timers.add(timer);
    return timer;
  };
  const next = (until: number): Timer | undefined => {
    let first: Timer | undefined;
    for (const timer of timers) {
      if (timer.at > until) continue;
      if (first === undefined || timer.at < first.at || (timer.at === first.at && timer.order < first.order)) first = timer;
    }
    return first;
  };
  /**
   * Moves the time on to the end of `sleep`, firing every timer due by then, earliest (then
   * oldest) first, the sleep's own last; stops where a timer cancels the sleep (an abort).
   */
  const advance = (sleep: Timer): void => {
    for (let timer = next(sleep.at); timer !== undefined && timers.has(sleep); timer = next(sleep.at)) {
      timers.delete(timer);
      now = Math.max(now, timer.at);
      timer.callback();
    }
  };
  const clock: Clock = {
    now: () => now,
    after(ms, callback) {
      const timer = schedule(ms, callback);
      return () => timers.delete(timer);
    },
    sleep(ms, callback) {
      const timer = schedule(ms, callback);
      // On the next turn of the event loop, not inside the caller's own call.
      setImmediate(() => {
        advance(timer);
      });
      return () => timers.delete(timer);
    },
  };
  const restore = useClock(clock);
  return {
    now: () => now,
    elapsed: () => now - start,
    advance(ms) {
      advance(schedule(ms, () => undefined));
    },
    restore,
  };
}
