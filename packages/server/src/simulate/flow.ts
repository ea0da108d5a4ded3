/**
 * The flow the simulator registers and runs, serialized as Prefect Core 1.4.1's
 * `flow.serialize()` writes it and compressed as its `compress()` does: the flow `etl` with
 * `extract`, a `transform` mapped over extract's result, and `load` of the mapped results.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PREFECT_CORE_VERSION } from './prefect-client.js';

export const FLOW_NAME = 'etl';
/** The project the simulator registers its flow in, created when missing. */
export const PROJECT_NAME = 'simulator';
/** The labels of the flow's run config, of its runs, and of the agent that picks them up. */
export const LABELS: readonly string[] = ['runview-simulator'];

/** The tasks by slug, with their names (what log lines and loggers call them). */
export const TASKS = {
  extract: { slug: 'extract-1', name: 'extract' },
  transform: { slug: 'transform-1', name: 'transform' },
  load: { slug: 'load-1', name: 'load' },
} as const;

const version = PREFECT_CORE_VERSION;

function task(name: string, slug: string, inputs: Record<string, unknown>): Record<string, unknown> {
  return {
    timeout: null,
    cache_for: null,
    max_retries: 0,
    name,
    retry_delay: null,
    inputs,
    auto_generated: false,
    trigger: { fn: 'prefect.triggers.all_successful', kwargs: {} },
    outputs: 'typing.Any',
    cache_validator: { fn: 'prefect.engine.cache_validators.never_use', kwargs: {} },
    type: 'prefect.tasks.core.function.FunctionTask',
    cache_key: null,
    skip_on_upstream_skip: true,
    slug,
    tags: [],
    __version__: version,
  };
}

function edge(upstream: string, downstream: string, key: string, mapped: boolean): Record<string, unknown> {
  return {
    upstream_task: { slug: upstream, __version__: version },
    key,
    downstream_task: { slug: downstream, __version__: version },
    mapped,
    flattened: false,
    __version__: version,
  };
}

const required = { required: true, type: 'typing.Any' };

/** `flow.serialize(build=False)`, as `prefect register` sends it: tasks and edges included. */
export const SERIALIZED_FLOW: Readonly<Record<string, unknown>> = {
  name: FLOW_NAME,
  type: 'prefect.core.flow.Flow',
  schedule: null,
  parameters: [],
  tasks: [
    task(TASKS.extract.name, TASKS.extract.slug, {}),
    task(TASKS.transform.name, TASKS.transform.slug, { batch: required }),
    task(TASKS.load.name, TASKS.load.slug, { rows: required }),
  ],
  edges: [edge(TASKS.extract.slug, TASKS.transform.slug, 'batch', true), edge(TASKS.transform.slug, TASKS.load.slug, 'rows', false)],
  reference_tasks: [],
  run_config: { labels: [...LABELS], env: null, working_dir: null, __version__: version, type: 'LocalRun' },
  __version__: version,
  storage: { flows: {}, module: 'runview_simulator.flows', secrets: [], __version__: version, type: 'Module' },
};

/** Prefect's `compress()`: base64 of the gzipped JSON. */
export function compressFlow(flow: Readonly<Record<string, unknown>>): string {
  return gzipSync(JSON.stringify(flow)).toString('base64');
}

/** JSON with sorted keys, as Python's `json.dumps(value, sort_keys=True)` orders them. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}: ${sortedJson(field)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `prefect register`'s idempotency key: the sha256 of the sorted serialized flow, so that
 * registering the same flow again returns the registered version instead of a new one.
 */
export function idempotencyKey(flow: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(sortedJson(flow)).digest('hex');
}
