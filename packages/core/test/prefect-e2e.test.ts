// The inspection half of the Prefect end-to-end test (the server's prefect-e2e test replays
// Prefect Core's own requests): a fresh server with no demo data, a flow registered from its
// compressed string, a run queued and picked up by a registered agent through
// get_runs_in_queue, mapped children created through get_or_create_task_run_info, a failing
// child, log lines uploaded in late batches with the runner's timestamps, a Failed run, all
// on Prefect's wire by @runview/server's simulator (its test checks every request against
// Prefect Core's recordings), then read the way a runview user reads it: inspectFlowRun and
// FlowRunView. On PGlite and on PostgreSQL.
import { createServer, simulateFlowRun, type RunviewServer } from '@runview/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, FlowRunView, inspectFlowRun, type RunviewClient } from '../src/index.js';
import { BACKENDS } from './support/backends.js';

const CHILDREN = 3;
const LINES_PER_TASK = 2;

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`a run driven by Prefect's agent and runners, inspected (${backend.name})`, () => {
    let server: RunviewServer;
    let drop: () => Promise<void>;
    let client: RunviewClient;
    let run: Awaited<ReturnType<typeof simulateFlowRun>>;

    beforeAll(async () => {
      const opened = await backend.open();
      drop = opened.drop;
      server = await createServer({ database: opened.database, logger: false });
      const { url } = await server.listen(0, '127.0.0.1');
      client = createClient({ url });
      // Uploads on a timer longer than the run: every runner line lands after the final state.
      run = await simulateFlowRun({
        url: url.replace(/\/graphql$/, ''),
        stepMs: 0,
        outcome: 'Failed',
        taskCount: CHILDREN,
        logsPerTask: LINES_PER_TASK,
        logUploadMs: 600_000,
      });
    }, 180_000);

    afterAll(async () => {
      await server.close();
      await drop();
    });

    it('went through the calls of Prefect’s registration, agent and runners', () => {
      expect(run.state).toBe('Failed');
      expect(Object.fromEntries(run.calls)).toMatchObject({
        create_flow_from_compressed_string: 1,
        create_flow_run: 1,
        register_agent: 1,
        get_runs_in_queue: 1,
        update_flow_run_heartbeat: 2,
        // extract, the mapped parent, its children, load.
        get_or_create_task_run_info: 3 + CHILDREN,
        // The agent's line, and the runner's one upload, after the final state.
        write_run_logs: 2,
      });
    });

    it('inspects the run: Failed, its flow, parent task runs and the mapped children by state', async () => {
      const inspection = await inspectFlowRun(run.flowRunId, { client, logLimit: 1000 });
      expect(inspection.flowRun.state.type).toBe('Failed');
      expect(inspection.flowRun.state.message).toBe('Some reference tasks failed.');
      expect(inspection.flowRun.labels).toEqual(['runview-simulator']);
      expect(inspection.flow).toMatchObject({ name: 'etl', projectName: 'simulator', version: 1, archived: false });
      const parents = [...inspection.taskRuns].sort((a, b) => String(a.taskSlug).localeCompare(String(b.taskSlug)));
      expect(parents.map((taskRun) => [taskRun.taskSlug, taskRun.mapIndex, taskRun.state.type])).toEqual([
        ['extract-1', -1, 'Success'],
        ['load-1', -1, 'TriggerFailed'],
        ['transform-1', -1, 'Mapped'],
      ]);
      expect(inspection.parentTaskRunCount).toBe(3);
      expect(inspection.taskRunCount).toBe(3 + CHILDREN);
      const transform = inspection.taskRuns.find((taskRun) => taskRun.taskSlug === 'transform-1');
      const counts = inspection.mappedChildCounts.get(transform?.taskId ?? '');
      expect(counts?.total).toBe(CHILDREN);
      expect(counts?.byState).toMatchObject({ Success: CHILDREN - 1, Failed: 1 });
    });

    it('finds each mapped child by its map index, the last one failed', async () => {
      const view = await FlowRunView.fromFlowRunId(run.flowRunId, { client });
      const all = await view.getAllTaskRuns();
      const children = all.filter((taskRun) => taskRun.taskSlug === 'transform-1' && taskRun.mapIndex >= 0).sort((a, b) => a.mapIndex - b.mapIndex);
      expect(children.map((child) => [child.mapIndex, child.state.type])).toEqual([
        [0, 'Success'],
        [1, 'Success'],
        [2, 'Failed'],
      ]);
      const failed = await view.getTaskRun({ taskSlug: 'transform-1', mapIndex: CHILDREN - 1 });
      expect(failed.state.message).toBe("Error during execution of task: ValueError('simulated failure in transform[2]')");
    });

    it('reads the log lines in the runner’s time, though they landed after the final state', async () => {
      const view = await FlowRunView.fromFlowRunId(run.flowRunId, { client });
      const logs = await view.getLogs();
      // The agent's line; Beginning; extract (start, its lines, end); the mapped parent (start,
      // end); each child (start, its lines, end) and the failing child's exception; load
      // (start, end); the flow's verdict; the runner's last line, after the final state.
      const expected = 1 + 1 + (2 + LINES_PER_TASK) + 2 + CHILDREN * (2 + LINES_PER_TASK) + 1 + 2 + 1 + 1;
      expect((await inspectFlowRun(run.flowRunId, { client, logLimit: 0 })).logCount).toBe(expected);
      // As Prefect's get_logs: up to the run's last change, the final state; the line after it is left out.
      expect(logs).toHaveLength(expected - 1);
      expect(logs.every((log) => log.timestamp.getTime() <= view.updatedAt.getTime())).toBe(true);
      const errors = logs.filter((log) => log.levelName === 'ERROR');
      expect(errors).toHaveLength(1);
      const failed = await view.getTaskRun({ taskSlug: 'transform-1', mapIndex: CHILDREN - 1 });
      expect(errors[0]?.taskRunId).toBe(failed.taskRunId);
      expect(logs.at(-1)?.message).toBe('Flow run FAILED: some reference tasks failed.');
    });
  });
}
