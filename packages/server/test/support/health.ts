/**
 * `/health` asked while some work runs, as a monitor would ask it during an attack: the work
 * starts first, then the health request races it.
 */
import { expect } from 'vitest';
import type { RunviewServer } from '../../src/index.js';

/** The bound the operator's monitor allows `/health` (the requirement). */
export const HEALTH_BOUND_MS = 1_000;

export interface Raced<T> {
  readonly result: T;
  /** How long `/health` took to answer while the work ran. */
  readonly healthMs: number;
  readonly healthStatus: number;
}

/** Asks `/health` at `target` (a server in process, or a URL it listens on) and times the answer. */
async function askHealth(target: RunviewServer | string): Promise<{ healthMs: number; healthStatus: number }> {
  const started = performance.now();
  const health = await (typeof target === 'string' ? fetch(new URL('/health', target)) : target.fetch(new Request('http://runview.test/health')));
  const healthMs = performance.now() - started;
  await health.arrayBuffer();
  return { healthMs, healthStatus: health.status };
}

/** Asks `/health` (in process, or at `url` when given) while `work` runs. */
export async function whileHealthAnswers<T>(server: RunviewServer, work: () => Promise<T>, url?: string): Promise<Raced<T>> {
  const running = work();
  // Let the work reach the server first.
  await new Promise((resolve) => setImmediate(resolve));
  const health = await askHealth(url ?? server);
  return { result: await running, ...health };
}

/**
 * Starts `work`, checks that `/health` at `target` answers 200 within {@link HEALTH_BOUND_MS}
 * while it runs, and only then waits for the work's result: a server the work froze fails on
 * `/health` rather than on the test's timeout.
 */
export async function answeredWhileHealthy<T>(target: RunviewServer | string, work: () => Promise<T>): Promise<T> {
  const running = work();
  // A failure of the work is reported by the await below, after /health was asked.
  running.catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  const { healthMs, healthStatus } = await askHealth(target);
  expect({ healthStatus, withinBound: healthMs < HEALTH_BOUND_MS }, `/health took ${healthMs.toFixed(0)} ms`).toEqual({ healthStatus: 200, withinBound: true });
  return running;
}
