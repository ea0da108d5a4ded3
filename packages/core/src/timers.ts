/**
 * Node and browsers hold a timer's delay in a signed 32-bit integer: a longer delay (25 days)
 * does not wait longer, it fires at once, as if it were 1 ms. Every duration a caller gives is
 * checked against that bound here, and every delay runview computes itself is capped to it.
 */
import { InvalidArgumentError } from './errors.js';

/** The longest delay a timer can hold: 2,147,483,647 ms (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Checks a caller's duration in milliseconds: a finite number, positive (or zero when
 * `allowZero`), and at most {@link MAX_TIMER_MS}.
 *
 * @throws {@link InvalidArgumentError} naming the argument, the bound and the value.
 */
export function requireDuration(value: unknown, argument: string, allowZero = false): number {
  const kind = allowZero ? 'a non-negative' : 'a positive';
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new InvalidArgumentError(argument, `${argument} must be ${kind} number of milliseconds, got ${String(value)}`);
  }
  if (value > MAX_TIMER_MS) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest a timer can wait), got ${String(value)}`,
    );
  }
  return value;
}

/** A computed delay made safe for a timer: never negative, never past {@link MAX_TIMER_MS}. */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}
