/**
 * Registering the simulator's flow as `prefect register --project simulator` does: the project
 * looked up (and created when missing, as `prefect create project --skip-if-exists`), then the
 * compressed serialized flow with its idempotency key, so a flow registered before comes back
 * as it is ("Skipped (metadata unchanged)") instead of as a new version.
 */
import { SimulatorCreateFlowFromCompressedStringDocument, SimulatorCreateProjectDocument, SimulatorProjectDocument } from '@runview/documents/simulator';
import { SimulationError } from './client.js';
import { compressFlow, idempotencyKey, PROJECT_NAME, SERIALIZED_FLOW } from './flow.js';
import type { PrefectClient } from './prefect-client.js';

const COMPRESSED_FLOW = compressFlow(SERIALIZED_FLOW);
const IDEMPOTENCY_KEY = idempotencyKey(SERIALIZED_FLOW);

async function findProject(api: PrefectClient): Promise<string | undefined> {
  const { project } = await api.request(SimulatorProjectDocument, { name: PROJECT_NAME }, { literal: true });
  return project[0]?.id;
}

async function ensureProject(api: PrefectClient, tenantId: () => Promise<string>): Promise<string> {
  const found = await findProject(api);
  if (found !== undefined) return found;
  try {
    const created = await api.request(SimulatorCreateProjectDocument, { input: { name: PROJECT_NAME, tenant_id: await tenantId() } });
    if (created.create_project?.id) return created.create_project.id;
  } catch (error) {
    // Created meanwhile by someone else: Prefect's client reads it back, as here.
    if (!(error instanceof SimulationError && /Uniqueness violation|already exists/i.test(error.message))) throw error;
  }
  const again = await findProject(api);
  if (again === undefined) throw new SimulationError(`project ${PROJECT_NAME} could not be created`);
  return again;
}

// Registrations through one connection go one at a time: two first registrations of the same
// flow at once would each make a version, and the second would archive the first.
const registrations = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
  const result = (registrations.get(key) ?? Promise.resolve()).then(task);
  const settled = result.catch(() => undefined);
  registrations.set(key, settled);
  void settled.then(() => {
    if (registrations.get(key) === settled) registrations.delete(key);
  });
  return result;
}

/**
 * Registers the flow `etl` in the project `simulator` and returns its id: the registered
 * version when it was registered before. `connection` names who registers (URL, key, tenant).
 */
export function registerFlow(api: PrefectClient, connection: string, tenantId: () => Promise<string>): Promise<string> {
  return oneAtATime(connection, async () => {
    const projectId = await ensureProject(api, tenantId);
    const registered = await api.request(SimulatorCreateFlowFromCompressedStringDocument, {
      input: { project_id: projectId, serialized_flow: COMPRESSED_FLOW, set_schedule_active: true, idempotency_key: IDEMPOTENCY_KEY },
    });
    const flowId = registered.create_flow_from_compressed_string?.id;
    if (!flowId) throw new SimulationError('create_flow_from_compressed_string returned no id');
    return flowId;
  });
}
