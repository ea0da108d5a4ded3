/** Waiting that a signal can cut short, leaving no timer or listener behind. */
import { clock, sleep } from '../clock.js';
import { AbortError } from '../errors.js';

const STOPPED = 'The watch was stopped';

function aborted(signal: AbortSignal): AbortError {
  return new AbortError(STOPPED, { cause: signal.reason });
}

/**
 * Resolves with `promise`'s value, or with `undefined` after `ms` (never, for `Infinity`; at
 * most the longest delay a timer holds otherwise);
 * rejects with an {@link AbortError} when `signal` fires first.
 */
export function within<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T | undefined> {
  return wait(promise, ms, signal);
}

function wait<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.reject(aborted(signal));
  return new Promise<T | undefined>((resolve, reject) => {
    let cancelTimer: (() => void) | undefined;
    const finish = (): void => {
      cancelTimer?.();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(aborted(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(ms)) {
      const timeUp = (): void => {
        finish();
        resolve(undefined);
      };
      cancelTimer = clock().after(ms, timeUp);
    }
    promise.then(
      (value) => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        // Passed on unchanged: the caller classifies it.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a rethrow, not a new rejection
        reject(error);
      },
    );
  });
}

/** Waits `ms` (the clock's {@link sleep}), or rejects with an {@link AbortError} when `signal` fires first. */
export async function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) {
    if (signal.aborted) throw aborted(signal);
    return;
  }
  await sleep(ms, signal, STOPPED);
}
