/**
 * The flow runner's log handler, as Prefect's `CloudHandler` and `LogManager` work: each record
 * is stamped with the runner's clock when it is logged and queued; the queue goes out in one
 * `write_run_logs` per upload, so lines land after the moment they describe.
 */
import { SimulatorWriteRunLogsDocument, type SimulatorWriteRunLogsMutationVariables } from '@runview/documents/simulator';
import { formatTimestamp } from '../states/index.js';
import type { PrefectClient } from './prefect-client.js';

type LogRecord = Extract<SimulatorWriteRunLogsMutationVariables['input']['logs'], readonly unknown[]>[number];
export type LogLevel = NonNullable<LogRecord['level']>;

export interface LogLine {
  readonly message: string;
  readonly name: string;
  readonly level?: LogLevel;
  readonly taskRunId?: string | null;
}

/**
 * The runner's clock with microseconds, as Python's `datetime.isoformat()` prints a record's
 * time: strictly increasing, so lines logged within one millisecond keep their order.
 */
function runnerClock(): () => string {
  let last = 0;
  return () => {
    const micros = Math.max(Date.now() * 1000, last + 1);
    last = micros;
    return formatTimestamp(new Date(Math.floor(micros / 1000)), micros % 1000);
  };
}

/**
 * When the queue goes out: every `uploadEveryMs` as Prefect's `LogManager` uploads (every
 * `cloud.logging_heartbeat`, 5 s), so lines land behind the states set meanwhile and the last
 * ones after the final state; or, without it, before each change to the run's history (a state,
 * a new task run), so a reader that sees a change also sees every line stamped before it (still
 * batched, still stamped before it is sent).
 */
export class LogQueue {
  readonly #api: PrefectClient;
  readonly #flowRunId: string;
  readonly #uploadEveryMs: number | undefined;
  readonly #clock = runnerClock();
  #queued: LogRecord[] = [];
  /** Uploads run one after the other, in the order asked. */
  #uploading: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(api: PrefectClient, flowRunId: string, uploadEveryMs?: number) {
    this.#api = api;
    this.#flowRunId = flowRunId;
    this.#uploadEveryMs = uploadEveryMs !== undefined && uploadEveryMs > 0 ? uploadEveryMs : undefined;
  }

  /** Queues a record stamped now (`CloudHandler.emit`). */
  log(line: LogLine): void {
    this.#queued.push({
      flow_run_id: this.#flowRunId,
      task_run_id: line.taskRunId ?? null,
      timestamp: this.#clock(),
      name: line.name,
      level: line.level ?? 'INFO',
      message: line.message,
    });
  }

  /** Uploads what is queued in one request; lines stay queued when the upload fails. */
  flush(): Promise<void> {
    const upload = this.#uploading.then(async () => {
      if (this.#queued.length === 0) return;
      const logs = this.#queued;
      this.#queued = [];
      try {
        await this.#api.request(SimulatorWriteRunLogsDocument, { input: { logs } });
      } catch (error) {
        this.#queued = [...logs, ...this.#queued];
        throw error;
      }
    });
    this.#uploading = upload.catch(() => undefined);
    return upload;
  }

  /** Starts the upload timer, when uploads are timed. */
  start(): void {
    if (this.#uploadEveryMs === undefined) return;
    // A failed upload keeps its lines for the next one; `close` reports it if that fails too.
    this.#timer = setInterval(() => {
      this.flush().catch(() => undefined);
    }, this.#uploadEveryMs);
    this.#timer.unref();
  }

  /** Called before the runner changes the run's history: uploads the queue unless uploads are timed. */
  async beforeRunChange(): Promise<void> {
    if (this.#uploadEveryMs === undefined) await this.flush();
  }

  /** Stops the timer and uploads what is left (`LogManager`'s exit hook). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  /** Stops the timer without uploading (the run was stopped). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
