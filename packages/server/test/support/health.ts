/**
 * `/health` asked while some work runs, as a monitor would ask it during an attack: the work
 * starts first, then the health request races it.
 */
import type { RunviewServer } from '../../src/index.js';

/** The bound the operator's monitor allows `/health` (the requirement). */
export const HEALTH_BOUND_MS = 1_000;

export interface Raced<T> {
  readonly result: T;
  /** How long `/health` took to answer while the work ran. */
  readonly healthMs: number;
  readonly healthStatus: number;
}

/** Asks `/health` (in process, or at `url` when given) while `work` runs. */
export async function whileHealthAnswers<T>(server: RunviewServer, work: () => Promise<T>, url?: string): Promise<Raced<T>> {
  const running = work();
  // Let the work reach the server first.
  await new Promise((resolve) => setImmediate(resolve));
  const started = performance.now();
  const health = await (url === undefined ? server.fetch(new Request('http://runview.test/health')) : fetch(new URL('/health', url)));
  const healthMs = performance.now() - started;
  await health.arrayBuffer();
  return { result: await running, healthMs, healthStatus: health.status };
}
