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

/** How often `/health` is asked while the work runs, at most, before it counts as not answering. */
const HEALTH_ASKS = 3;

/**
 * Starts `work`, checks that `/health` at `target` answers 200 within {@link HEALTH_BOUND_MS}
 * while it runs, and only then waits for the work's result: a server the work froze fails on
 * `/health` rather than on the test's timeout. A monitor asks again: up to
 * {@link HEALTH_ASKS} asks while the work is still running, one of which must be answered in
 * time (one slow answer on a machine busy with other processes is not a frozen server; a
 * server the work freezes answers none of them in time).
 */
export async function answeredWhileHealthy<T>(target: RunviewServer | string, work: () => Promise<T>): Promise<T> {
  const running = work();
  const progress = { finished: false };
  // A failure of the work is reported by the await below, after /health was asked.
  running.then(
    () => (progress.finished = true),
    () => (progress.finished = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  const asked: { healthMs: number; healthStatus: number }[] = [];
  for (let ask = 0; ask < HEALTH_ASKS; ask += 1) {
    const answer = await askHealth(target);
    asked.push(answer);
    if ((answer.healthStatus === 200 && answer.healthMs < HEALTH_BOUND_MS) || progress.finished) break;
  }
  const inTime = asked.some(({ healthMs, healthStatus }) => healthStatus === 200 && healthMs < HEALTH_BOUND_MS);
  expect(inTime, `/health answered ${asked.map(({ healthMs, healthStatus }) => `${String(healthStatus)} in ${healthMs.toFixed(0)} ms`).join(', ')}`).toBe(true);
  return running;
}
