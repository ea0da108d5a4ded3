/**
 * The retry policy for queries: capped exponential backoff with jitter, and a server's
 * `Retry-After` honoured. Mutations are never retried (a write may have happened).
 */
import { InvalidArgumentError } from '../errors.js';
import { requireDuration } from '../timers.js';

/** How queries are retried. Pass `retry: false` to `createClient` to turn retries off. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  readonly maxRetries?: number;
  /** The first backoff delay (default 250 ms); it doubles with each retry. */
  readonly baseDelayMs?: number;
  /** The cap of a backoff delay (default 8,000 ms). */
  readonly maxDelayMs?: number;
  /**
   * The longest `Retry-After` the client waits for (default 60,000 ms); a longer one fails at
   * once with a `RateLimitedError` that carries it.
   */
  readonly maxRetryAfterMs?: number;
  /** Randomize each backoff delay between half and all of it (default true). */
  readonly jitter?: boolean;
}

/** A complete retry policy. */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly jitter: boolean;
}

/** The policy used when `retry` is not given. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  jitter: true,
});

/** No retries at all. */
export const NO_RETRY: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY_POLICY, maxRetries: 0 });

function checkNumber(name: string, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new InvalidArgumentError(`retry.${name}`, `retry.${name} must be a non-negative ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
  return value;
}

/** A delay of the policy: it ends up in a timer, so it is bounded as one. */
function checkDelay(name: string, value: number | undefined, fallback: number): number {
  return value === undefined ? fallback : requireDuration(value, `retry.${name}`, true);
}

/** Validates `createClient`'s `retry` option into a complete policy. */
export function resolveRetryPolicy(retry: RetryOptions | boolean | undefined): RetryPolicy {
  if (retry === false) return NO_RETRY;
  if (retry === undefined || retry === true) return DEFAULT_RETRY_POLICY;
  return Object.freeze({
    maxRetries: checkNumber('maxRetries', retry.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, true),
    baseDelayMs: checkDelay('baseDelayMs', retry.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs),
    maxDelayMs: checkDelay('maxDelayMs', retry.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs),
    maxRetryAfterMs: checkDelay('maxRetryAfterMs', retry.maxRetryAfterMs, DEFAULT_RETRY_POLICY.maxRetryAfterMs),
    jitter: retry.jitter ?? DEFAULT_RETRY_POLICY.jitter,
  });
}

/** The backoff before retry number `retry` (0 for the first retry). */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return policy.jitter ? capped / 2 + random() * (capped / 2) : capped;
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds to wait
 * (0 for a date in the past), or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (text === '') return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
