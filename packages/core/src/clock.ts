/**
 * The clock a watch and the client's retries read and wait on. Watching is mostly waiting (a
 * poll every 2 s, Prefect's agent warning after 15 s, the drain after the final state, the
 * caller's timeout), and so is retrying (backoff, Retry-After), so every reading of the time
 * and every wait there goes through here: the system's clock, unless another is put in its
 * place with {@link useClock} (not exported from the package), so that a test runs minutes of
 * watching in milliseconds, on a clock it controls rather than on the wall clock.
 */
import { AbortError } from './errors.js';
import { timerDelay } from './timers.js';

export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Calls `callback` once `ms` have passed; returns a function that cancels the call. */
  after(ms: number, callback: () => void): () => void;
  /**
   * As `after`, for a wait on time alone (nothing but an abort can end it sooner): a clock
   * that only counts time may move on to its end at once.
   */
  sleep(ms: number, callback: () => void): () => void;
}

function systemAfter(ms: number, callback: () => void): () => void {
  const timer = setTimeout(callback, timerDelay(ms));
  return () => {
    clearTimeout(timer);
  };
}

/** The system's clock: `Date.now()` and timers. */
export const systemClock: Clock = { now: () => Date.now(), after: systemAfter, sleep: systemAfter };

let current: Clock = systemClock;

/** The clock in use. */
export function clock(): Clock {
  return current;
}

/** Puts `next` in place of the clock in use until the returned function restores the previous one. */
export function useClock(next: Clock): () => void {
  const previous = current;
  current = next;
  return () => {
    current = previous;
  };
}

/**
 * Waits `ms` on the clock in use: runview's one abortable sleep (a retry's backoff, a watch's
 * poll, the dashboard's log follower after a failure). Nothing is left behind either way.
 *
 * @throws {@link AbortError} (`what`, with the signal's reason as `cause`) when `signal` fires first.
 */
export function sleep(ms: number, signal?: AbortSignal, what = 'The call was aborted'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError(what, { cause: signal.reason }));
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(new AbortError(what, { cause: signal?.reason }));
    };
    const cancel = clock().sleep(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
