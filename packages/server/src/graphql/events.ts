/**
 * In-process change notifications. Mutations emit one event per changed table after their
 * transaction commits; live queries (subscriptions) re-run when an event touches what they watch.
 */
import type { TableName } from '../db/tables.js';

/** What changed: the table, the tenant that owns the rows and the runs they belong to. */
export interface ChangeEvent {
  readonly table: TableName;
  readonly tenantId: string;
  readonly operation: 'insert' | 'update' | 'delete';
  /** The flow run the changed rows belong to, when they belong to one. */
  readonly flowRunId?: string;
  /** The task run the changed rows belong to, when they belong to one. */
  readonly taskRunId?: string;
  /** Ids of the changed rows, when known. */
  readonly ids?: readonly string[];
}

export type ChangeListener = (event: ChangeEvent) => void;

/** A synchronous emitter: a listener that throws does not stop the others or the mutation. */
export class ChangeEvents {
  readonly #listeners = new Set<ChangeListener>();

  /** Notifies every listener. Call after the transaction that made the change committed. */
  emit(event: ChangeEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must not fail the write that already committed.
      }
    }
  }

  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
