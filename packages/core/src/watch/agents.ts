/**
 * Prefect's `check_for_compatible_agents`: why a flow run has not been picked up yet, in one
 * of its six sentences, from the `agent` table (labels and when each agent last asked for work).
 */
import { AgentsDocument } from '@runview/documents';
import * as z from 'zod/mini';
import type { CallOptions } from '../client/client.js';
import { parseWire } from '../maps/wire.js';
import { tryParseTimestamp } from '../time.js';
import { callOf, clientOf, type ViewOptions } from '../views/common.js';
import { timeAgo } from '../display/relative.js';

/** Options of {@link checkForCompatibleAgents}. */
export interface AgentCheckOptions extends ViewOptions, CallOptions {
  /** An agent that asked for work within this many minutes is healthy (default 1, as Prefect). */
  readonly sinceMinutes?: number | undefined;
  /** The current time (default: now). */
  readonly now?: Date | undefined;
}

const agentRows = z.array(
  z.object({
    id: z.string(),
    name: z.nullable(z.string()),
    labels: z.nullable(z.array(z.string())),
    last_queried: z.nullable(z.string()),
  }),
);

interface Agent {
  readonly id: string;
  readonly name: string | null;
  readonly labels: ReadonlySet<string>;
  readonly lastQueried: Date;
}

/** Python's repr of a set of strings, in a stable order: `{'a', 'b'}`. */
function setRepr(labels: ReadonlySet<string>): string {
  return `{${[...labels]
    .sort()
    .map((label) => `'${label.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`)
    .join(', ')}}`;
}

function isSubset(labels: ReadonlySet<string>, of: ReadonlySet<string>): boolean {
  for (const label of labels) if (!of.has(label)) return false;
  return true;
}

/**
 * Which agents could run a flow run with these labels, as one of Prefect's six sentences:
 * a healthy matching agent, several, an unhealthy match, several, no healthy agent at all, or
 * healthy agents whose labels do not match.
 */
export async function checkForCompatibleAgents(labels: Iterable<string>, options: AgentCheckOptions = {}): Promise<string> {
  const client = clientOf(options);
  const data = await client.query(AgentsDocument, {}, callOf(options));
  const now = options.now ?? new Date();
  const agents: Agent[] = [];
  for (const row of parseWire(agentRows, data.agent, 'Agents')) {
    const lastQueried = row.last_queried === null ? null : tryParseTimestamp(row.last_queried);
    // Agents that never asked for work do not count, as in Prefect.
    if (lastQueried === null) continue;
    agents.push({ id: row.id, name: row.name, labels: new Set(row.labels ?? []), lastQueried: lastQueried.date });
  }
  return describeAgents(new Set(labels), agents, now, options.sinceMinutes ?? 1);
}

/** The sentence for a set of agents (pure, for tests and other transports). */
export function describeAgents(labels: ReadonlySet<string>, agents: readonly Agent[], now: Date, sinceMinutes: number): string {
  const labelsBlurb = labels.size > 0 ? `labels ${setRepr(labels)}` : 'empty labels';
  const since = now.getTime() - sinceMinutes * 60_000;
  const healthy = agents.filter((agent) => agent.lastQueried.getTime() >= since);
  const matchingHealthy: Agent[] = [];
  const matchingUnhealthy: Agent[] = [];
  for (const agent of agents) {
    const emptyMatch = agent.labels.size === 0 && labels.size === 0;
    if (emptyMatch || (labels.size > 0 && isSubset(labels, agent.labels))) {
      (healthy.includes(agent) ? matchingHealthy : matchingUnhealthy).push(agent);
    }
  }
  const nameBlurb = (agent: Agent): string => (agent.name ? ` (${agent.name})` : '');
  const [onlyHealthy] = matchingHealthy;
  if (matchingHealthy.length === 1 && onlyHealthy) {
    return `Agent ${onlyHealthy.id}${nameBlurb(onlyHealthy)} has matching labels and last queried ${timeAgo(onlyHealthy.lastQueried, now)}. It should deploy your flow run.`;
  }
  if (matchingHealthy.length > 1) {
    return `Found ${matchingHealthy.length} healthy agents with matching labels. One of them should pick up your flow.`;
  }
  if (healthy.length === 0 && matchingUnhealthy.length === 0) {
    return `There are no healthy agents in your tenant and it does not look like an agent with the required labels has been run recently. Start an agent with ${labelsBlurb} to run your flow.`;
  }
  const [onlyUnhealthy] = matchingUnhealthy;
  if (matchingUnhealthy.length === 1 && onlyUnhealthy) {
    return `Agent ${onlyUnhealthy.id}${nameBlurb(onlyUnhealthy)} has matching labels and last queried ${timeAgo(onlyUnhealthy.lastQueried, now)}. Since it hasn't queried recently, it looks unhealthy. Restart it or start a new agent with ${labelsBlurb} to deploy your flow run.`;
  }
  if (matchingUnhealthy.length > 1) {
    return `Found ${matchingUnhealthy.length} agents with matching labels but they have not queried recently and look unhealthy. Restart one of them or start a new agent with ${labelsBlurb} deploy your flow run.`;
  }
  return `You have ${healthy.length} healthy agents in your tenant but do not have an agent with ${labelsBlurb}. Start an agent with matching labels to deploy your flow run.`;
}
