import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulateConfig } from '../config.js';
import { startSimulatedFlowRun, type FinalState, type SimulateOptions } from './run.js';

export interface SimulationLoopOptions extends Omit<SimulateOptions, 'signal'> {
  /** Seconds between the starts of two runs (runs may overlap), or with `oneAtATime` from one's end to the next start. */
  readonly everySeconds: number;
  /** Wait for each run to end before the pause, so at most one is live (`--simulate` of serve). */
  readonly oneAtATime?: boolean;
  /** Stop after this many runs (default: until the signal aborts). */
  readonly count?: number;
  /** Aborting stops the loop and cancels the runs still in flight. */
  readonly signal: AbortSignal;
  /** Called when a run was created. */
  readonly onStart?: (flowRunId: string) => void;
  /** Called when a run reached its final state. */
  readonly onFinish?: (flowRunId: string, state: FinalState) => void;
  /** Called when a run could not be created or driven; the loop goes on. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Starts a new simulated flow run every `everySeconds` until `signal` aborts (or `count`
 * runs were started), for a server that should always have something live to watch.
 * Resolves once the loop stopped and every run it started has settled.
 */
export async function runSimulationLoop(options: SimulationLoopOptions): Promise<void> {
  const { everySeconds, oneAtATime = false, count, signal, onStart, onFinish, onError, ...simulate } = options;
  if (!(everySeconds > 0)) throw new RangeError(`everySeconds must be positive, got ${String(everySeconds)}`);
  const inFlight = new Set<Promise<unknown>>();
  // A function, not a property read: the signal changes while the loop awaits.
  const aborted = (): boolean => signal.aborted;
  for (let started = 0; !aborted() && (count === undefined || started < count); started += 1) {
    try {
      const run = await startSimulatedFlowRun({ ...simulate, signal });
      onStart?.(run.flowRunId);
      const settled = run.done.then(
        (state) => onFinish?.(run.flowRunId, state),
        (error: unknown) => onError?.(error),
      );
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
      if (oneAtATime) await settled;
    } catch (error) {
      if (aborted()) break;
      onError?.(error);
    }
    if (count !== undefined && started + 1 >= count) break;
    await sleep(everySeconds * 1000, undefined, { signal }).catch(() => undefined);
  }
  await Promise.allSettled(inFlight);
}

/**
 * `--simulate` of `runview-server` and `runview serve`: runs one at a time while the server
 * serves, each told in a line (`say`), until `signal` aborts or `--simulate-runs` ran.
 */
export async function simulateWhileServing(
  settings: SimulateConfig,
  url: string,
  signal: AbortSignal,
  say: (line: string, kind: 'progress' | 'error') => void,
): Promise<void> {
  await runSimulationLoop({
    url,
    ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
    everySeconds: settings.everySeconds,
    oneAtATime: true,
    ...(settings.runs === undefined ? {} : { count: settings.runs }),
    signal,
    onStart: (id) => {
      say(`simulated flow run started: ${id}`, 'progress');
    },
    onFinish: (id, state) => {
      say(`simulated flow run ${id} ended ${state}`, 'progress');
    },
    onError: (error) => {
      // Stopping the server cancels the run in flight: that is no failure to report.
      if (!signal.aborted) say(`simulation: ${error instanceof Error ? error.message : String(error)}`, 'error');
    },
  });
  if (settings.runs !== undefined && !signal.aborted) say(`simulation: ${String(settings.runs)} run${settings.runs === 1 ? '' : 's'} done`, 'progress');
}
