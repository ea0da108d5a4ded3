/**
 * Turning a flow's schedule on and off, with Prefect Server's rules: a flow with no schedule
 * of its own or of its flow group stays inactive, and one whose required parameters are not
 * covered by its flow group's defaults and every clock's `parameter_defaults` is refused.
 * runview has no scheduler service, so an active schedule creates no runs by itself.
 */
import type { Kysely } from 'kysely';
import type { JsonValue, Tables } from '../db/tables.js';
import { badUserInput } from '../graphql/errors.js';
import { deleteAutoScheduledRuns, type RunChanges } from './scheduled-runs.js';
import { isJsonObject } from './json.js';

export const REQUIRED_PARAMETERS_UNSCHEDULABLE = 'Can not schedule a flow that has required parameters.';

function requiredParameterNames(parameters: JsonValue | null): Set<string> {
  const specs = Array.isArray(parameters) ? parameters : [];
  return new Set(specs.flatMap((spec) => (isJsonObject(spec) && spec['required'] === true && typeof spec['name'] === 'string' ? [spec['name']] : [])));
}

function clockParameterNames(schedule: JsonValue | null): Set<string>[] {
  const clocks = isJsonObject(schedule) && Array.isArray(schedule['clocks']) ? schedule['clocks'] : [];
  return clocks.map((clock) => new Set(isJsonObject(clock) && isJsonObject(clock['parameter_defaults']) ? Object.keys(clock['parameter_defaults']) : []));
}

/**
 * `set_schedule_active` on one flow of the tenant: true when the schedule is now active, false
 * for an unknown flow or one without any schedule.
 */
export async function activateSchedule(tx: Kysely<Tables>, tenantId: string, flowId: string): Promise<boolean> {
  const flow = await tx
    .selectFrom('flow')
    .innerJoin('flow_group', 'flow_group.id', 'flow.flow_group_id')
    .select(['flow.schedule', 'flow.parameters', 'flow_group.schedule as group_schedule', 'flow_group.default_parameters'])
    .where('flow.id', '=', flowId)
    .where('flow.tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!flow) return false;
  const required = requiredParameterNames(flow.parameters);
  if (flow.schedule !== null && required.size > 0) {
    const defaults = isJsonObject(flow.default_parameters) ? flow.default_parameters : {};
    const uncovered = [...required].filter((name) => !(name in defaults));
    if (!clockParameterNames(flow.schedule).every((clock) => uncovered.every((name) => clock.has(name)))) {
      throw badUserInput(REQUIRED_PARAMETERS_UNSCHEDULABLE);
    }
  }
  if (flow.schedule === null && flow.group_schedule === null) return false;
  const updated = await tx.updateTable('flow').set({ is_schedule_active: true }).where('id', '=', flowId).where('tenant_id', '=', tenantId).executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** `set_schedule_inactive`: false for an unknown flow; deletes its auto-scheduled runs not started yet. */
export async function deactivateSchedule(tx: Kysely<Tables>, tenantId: string, flowId: string, changes: RunChanges): Promise<boolean> {
  const updated = await tx.updateTable('flow').set({ is_schedule_active: false }).where('id', '=', flowId).where('tenant_id', '=', tenantId).executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return false;
  await deleteAutoScheduledRuns(tx, tenantId, { flowIds: [flowId] }, changes);
  return true;
}
