/**
 * Prefect's local agent, for one flow run: it registers with its labels, checks the API with
 * `hello`, polls `get_runs_in_queue` (naming itself with `X-PREFECT-AGENT-ID`) until the run is
 * handed out, reads the run's metadata, sets it Submitted with the version it read, and logs
 * the deployment, as `prefect agent local start` does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  SimulatorFlowRunMetadataDocument,
  SimulatorHelloDocument,
  SimulatorRegisterAgentDocument,
  SimulatorRunsInQueueDocument,
  SimulatorSetFlowRunStatesDocument,
  SimulatorTenantDocument,
  SimulatorWriteRunLogsDocument,
  type SimulatorFlowRunMetadataQuery,
} from '@runview/documents/simulator';
import type { JsonObject } from '@runview/prefect';
import { formatTimestamp } from '../states/index.js';
import { SimulationError } from './client.js';
import { LABELS } from './flow.js';
import type { PrefectClient } from './prefect-client.js';
import { runnerState } from './runner-states.js';

/** How the simulated agent registers: Prefect's local agent, with the simulator's labels. */
export const AGENT = { type: 'LocalAgent', name: 'runview-simulator', labels: LABELS } as const;

/** How far ahead the agent asks for runs (`get_runs_in_queue`'s `before`), as Prefect's does. */
const PREFETCH_MS = 10_000;
/** The agent's waits between empty polls: Prefect's backoff, from 0.25 s up to 10 s. */
const POLL_BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000];

export type RunMetadata = SimulatorFlowRunMetadataQuery['flow_run'][number];

/**
 * The tenant the agent works for: the configured one, else the first of `tenant { id }`, as
 * Prefect's `Client.tenant_id` finds the default tenant of a Prefect Server.
 */
export async function defaultTenant(api: PrefectClient): Promise<string> {
  const { tenant } = await api.request(SimulatorTenantDocument, {});
  const [first] = tenant;
  if (first === undefined) throw new SimulationError('the server has no tenant: create one with `prefect server create-tenant`');
  return first.id;
}

export class SimulatedAgent {
  readonly #api: PrefectClient;
  readonly #tenantId: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #signal: AbortSignal | undefined;

  private constructor(api: PrefectClient, tenantId: string, agentId: string, signal: AbortSignal | undefined) {
    this.#api = api;
    this.#tenantId = tenantId;
    this.#headers = { 'x-prefect-agent-id': agentId };
    this.#signal = signal;
  }

  /** Registers the agent (the same one again on every start) and checks the API. */
  static async start(api: PrefectClient, tenantId: string, signal?: AbortSignal): Promise<SimulatedAgent> {
    const registered = await api.request(SimulatorRegisterAgentDocument, {
      input: { type: AGENT.type, name: AGENT.name, labels: [...AGENT.labels], tenant_id: tenantId, agent_config_id: null },
    });
    const agentId = registered.register_agent?.id;
    if (!agentId) throw new SimulationError('register_agent returned no id');
    const agent = new SimulatedAgent(api, tenantId, agentId, signal);
    await api.request(SimulatorHelloDocument, {}, { headers: agent.#headers });
    return agent;
  }

  /**
   * Polls the queue until it hands out `flowRunId`, then reads the run as the agent does
   * before deploying it. Other runs handed out are left to other agents.
   */
  async pickUp(flowRunId: string): Promise<RunMetadata> {
    for (const wait of [0, ...POLL_BACKOFF_MS]) {
      if (wait > 0) await sleep(wait, undefined, this.#signal === undefined ? {} : { signal: this.#signal });
      const before = formatTimestamp(new Date(Date.now() + PREFETCH_MS));
      const queue = await this.#api.request(
        SimulatorRunsInQueueDocument,
        { input: { before, labels: [...AGENT.labels], tenant_id: this.#tenantId } },
        { headers: this.#headers },
      );
      if ((queue.get_runs_in_queue?.flow_run_ids ?? []).includes(flowRunId)) return this.#metadata(flowRunId);
    }
    throw new SimulationError(
      `the agent's queue never handed out flow run ${flowRunId}: is it still Scheduled, with the labels ${JSON.stringify(AGENT.labels)}?`,
    );
  }

  async #metadata(flowRunId: string): Promise<RunMetadata> {
    const before = formatTimestamp(new Date(Date.now() - 3000));
    const { flow_run: runs } = await this.#api.request(
      SimulatorFlowRunMetadataDocument,
      { ids: [flowRunId], before },
      { literal: true, headers: this.#headers },
    );
    const [run] = runs;
    if (run === undefined) throw new SimulationError(`flow run ${flowRunId} is no longer Scheduled`);
    return run;
  }

  /** Sets the run Submitted with the version read (the Scheduled state nested), and logs the deployment. */
  async submit(run: RunMetadata): Promise<void> {
    const scheduled = (run.serialized_state ?? null) as JsonObject | null;
    await this.#api.request(
      SimulatorSetFlowRunStatesDocument,
      {
        input: {
          states: [{ state: runnerState('Submitted', 'Submitted for execution', { extra: { state: scheduled } }), flow_run_id: run.id, version: run.version }],
        },
      },
      { headers: this.#headers },
    );
    await this.#api.request(
      SimulatorWriteRunLogsDocument,
      { input: { logs: [{ flow_run_id: run.id, name: AGENT.name, message: `Submitted for execution: PID: ${String(process.pid)}`, level: 'INFO' }] } },
      { headers: this.#headers },
    );
  }
}
