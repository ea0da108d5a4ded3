/**
 * Where live queries run their statements. One write can make every subscription re-run at
 * once; left alone, thousands of statements would queue in front of every request (PGlite has
 * one session, PostgreSQL a pool of ten), and `/health` would wait seconds. Here at most a few
 * run at a time, so a request waits behind a few at most; identical statements waiting for
 * their turn run once for all who wait (subscribers of one run in one tenant send the same);
 * and a statement nobody waits for any more (the subscriptions closed) is not run.
 *
 * A statement already running is never shared with a subscription that joins later: it may
 * have read the data before the change that woke the newcomer.
 */

/** Live statements running at once, per server. */
export const LIVE_CONCURRENCY = 2;

interface Pending {
  readonly task: () => Promise<unknown>;
  readonly result: Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Callers still waiting; the statement is skipped if none is left when its turn comes. */
  readonly wanted: Set<() => boolean>;
}

/** Thrown to a caller whose statement was skipped because nobody wanted it any more. */
export class LiveRunSkipped extends Error {
  override readonly name = 'LiveRunSkipped';
}

export class LiveScheduler {
  readonly #concurrency: number;
  #running = 0;
  readonly #queue: string[] = [];
  readonly #pending = new Map<string, Pending>();

  constructor(concurrency = LIVE_CONCURRENCY) {
    this.#concurrency = concurrency;
  }

  /**
   * Runs `task` when a slot is free, or joins the identical statement (same `key`) that waits
   * for one. `stillWanted` is asked when the turn comes.
   */
  run<T>(key: string, task: () => Promise<T>, stillWanted: () => boolean): Promise<T> {
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      let resolve!: (value: unknown) => void;
      let reject!: (error: unknown) => void;
      const result = new Promise<unknown>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      pending = { task, result, resolve, reject, wanted: new Set() };
      this.#pending.set(key, pending);
      this.#queue.push(key);
    }
    pending.wanted.add(stillWanted);
    this.#pump();
    return pending.result as Promise<T>;
  }

  /** Statements waiting for a slot (tests and diagnostics). */
  get waiting(): number {
    return this.#queue.length;
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const key = this.#queue.shift();
      if (key === undefined) return;
      const pending = this.#pending.get(key);
      this.#pending.delete(key);
      if (pending === undefined) continue;
      if (![...pending.wanted].some((wanted) => wanted())) {
        pending.reject(new LiveRunSkipped('no subscription waits for this statement any more'));
        continue;
      }
      this.#running += 1;
      pending
        .task()
        .then(pending.resolve, pending.reject)
        .finally(() => {
          this.#running -= 1;
          this.#pump();
        });
    }
  }
}
