/**
 * The Prefect-layer mutations Prefect Core's agent, flow runner and task runner call at run
 * time, and the UI's run-time actions, by field name of `type Mutation`.
 */
import type { MutationResolvers } from '../graphql/context.js';
import { createAgentConfig, deleteAgent, deleteAgentConfig, registerAgent, updateAgentConfig } from './agents.js';
import { createTaskRunArtifact, deleteTaskRunArtifact, updateTaskRunArtifact } from './artifacts.js';
import { updateFlowRunHeartbeat, updateTaskRunHeartbeat } from './heartbeats.js';
import { deleteMessage, markMessageAsRead, markMessageAsUnread } from './messages.js';
import { setFlowRunLabels, setFlowRunName, setTaskRunName } from './run-names.js';
import { getRunsInQueue } from './runs-queue.js';
import { getOrCreateTaskRunInfoResolver } from './task-runs.js';

export const runtimeResolvers = {
  get_or_create_task_run_info: getOrCreateTaskRunInfoResolver,
  update_flow_run_heartbeat: updateFlowRunHeartbeat,
  update_task_run_heartbeat: updateTaskRunHeartbeat,
  set_flow_run_name: setFlowRunName,
  set_task_run_name: setTaskRunName,
  set_flow_run_labels: setFlowRunLabels,
  get_runs_in_queue: getRunsInQueue,
  register_agent: registerAgent,
  delete_agent: deleteAgent,
  create_agent_config: createAgentConfig,
  delete_agent_config: deleteAgentConfig,
  update_agent_config: updateAgentConfig,
  create_task_run_artifact: createTaskRunArtifact,
  update_task_run_artifact: updateTaskRunArtifact,
  delete_task_run_artifact: deleteTaskRunArtifact,
  mark_message_as_read: markMessageAsRead,
  mark_message_as_unread: markMessageAsUnread,
  delete_message: deleteMessage,
} satisfies MutationResolvers;
