import type { TaskRunsTableQuery, Task_Run_Bool_Exp } from '@runview/documents';

/** A task run as the task run documents return it. */
export type TaskRunRow = TaskRunsTableQuery['task_run'][number];

/** Unmapped tasks and mapped parents: the rows a task run table starts from. */
export const PARENTS_ONLY: Task_Run_Bool_Exp = { map_index: { _eq: -1 } };

/** The children of one mapped task. */
export const childrenOf = (taskId: string): Task_Run_Bool_Exp => ({ task_id: { _eq: taskId }, map_index: { _neq: -1 } });

/** How a task run is named in tables and log filters: its name, else its slug. */
export function taskRunLabel(run: Pick<TaskRunRow, 'name' | 'map_index' | 'task'>): string {
  const base = run.name ?? run.task.name ?? run.task.slug ?? 'task';
  return run.map_index >= 0 ? `${base}[${run.map_index}]` : base;
}
