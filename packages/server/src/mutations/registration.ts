/**
 * The registration and management mutations of Prefect Server: tenants, projects, flows
 * (registered from Prefect Core's serialized form), their task graphs, flow groups and
 * schedules.
 */
import type { MutationResolvers } from '../graphql/context.js';
import {
  deleteFlowGroup,
  deleteFlowGroupSchedule,
  setFlowGroupDefaultParameters,
  setFlowGroupDescription,
  setFlowGroupLabels,
  setFlowGroupRunConfig,
  setFlowGroupSchedule,
} from './flow-groups.js';
import {
  archiveFlow,
  deleteFlow,
  disableFlowHeartbeat,
  disableFlowLazarusProcess,
  enableFlowHeartbeat,
  enableFlowLazarusProcess,
  setScheduleActive,
  setScheduleInactive,
  updateFlowProject,
} from './flows.js';
import { createProject, deleteProject, setProjectDescription, setProjectName } from './projects.js';
import { createFlow, createFlowFromCompressedString } from './register-flow.js';
import { registerEdges, registerTasks } from './register-graph.js';
import { createTenant, updateTenantName, updateTenantSettings, updateTenantSlug } from './tenants.js';

export const registrationResolvers = {
  create_tenant: createTenant,
  update_tenant_name: updateTenantName,
  update_tenant_slug: updateTenantSlug,
  update_tenant_settings: updateTenantSettings,
  create_project: createProject,
  delete_project: deleteProject,
  set_project_name: setProjectName,
  set_project_description: setProjectDescription,
  create_flow: createFlow,
  create_flow_from_compressed_string: createFlowFromCompressedString,
  register_tasks: registerTasks,
  register_edges: registerEdges,
  delete_flow: deleteFlow,
  archive_flow: archiveFlow,
  update_flow_project: updateFlowProject,
  enable_flow_heartbeat: enableFlowHeartbeat,
  disable_flow_heartbeat: disableFlowHeartbeat,
  enable_flow_lazarus_process: enableFlowLazarusProcess,
  disable_flow_lazarus_process: disableFlowLazarusProcess,
  set_schedule_active: setScheduleActive,
  set_schedule_inactive: setScheduleInactive,
  delete_flow_group: deleteFlowGroup,
  set_flow_group_description: setFlowGroupDescription,
  set_flow_group_labels: setFlowGroupLabels,
  set_flow_group_run_config: setFlowGroupRunConfig,
  set_flow_group_schedule: setFlowGroupSchedule,
  delete_flow_group_schedule: deleteFlowGroupSchedule,
  set_flow_group_default_parameters: setFlowGroupDefaultParameters,
} satisfies MutationResolvers;
