import {
  FlowRunByIdDocument,
  FlowRunLogsFirstPageDocument,
  FlowRunLogsPageDocument,
  FlowRunStatesDocument,
  MappedTaskRunsDocument,
  TaskRunsPageDocument,
} from '@runview/documents';
import { TaskRunStatesDocument } from '@runview/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic, type SyntheticDataSet } from '../src/seed/index.js';
import type { GraphQLClient } from '../src/simulate/client.js';
import { BACKENDS, countRows, startTestServer, type TestServer } from './mutations-harness.js';

describe.each(BACKENDS)('synthetic data sets on $name', (backend) => {
  let test: TestServer;
  let api: GraphQLClient;
  let runs: SyntheticDataSet;
  let crowded: SyntheticDataSet;

  beforeAll(async () => {
    if (backend.skip) return;
    test = await startTestServer(backend);
    api = test.client();
    runs = await generateSynthetic(test.server.db, { flowRuns: 40, taskRunsPerRun: 2, mappedChildren: 5, logsPerRun: 30 });
    crowded = await generateSynthetic(test.server.db, { flowRuns: 1, taskRunsPerRun: 1, logsPerRun: 2_500, sameTimestampLogs: 2_500 });
  }, 120_000);

  afterAll(async () => {
    if (!backend.skip) await test.close();
  });

  it.skipIf(backend.skip)('creates the runs, task runs and logs it reports', async () => {
    expect(runs.flowRunIds).toHaveLength(40);
    expect(new Set(runs.flowRunIds).size).toBe(40);
    expect(runs.taskRunCount).toBe(40 * (2 + 1 + 5));
    expect(runs.logCount).toBe(40 * 30);
    expect(await countRows(test.server, 'flow_run')).toBe(41);
    expect(await countRows(test.server, 'task_run')).toBe(runs.taskRunCount + 1);
    expect(await countRows(test.server, 'log')).toBe(runs.logCount + crowded.logCount);
  });

  it.skipIf(backend.skip)('gives each run a history in step with its state, task runs and mapped children', async () => {
    const flowRunId = runs.flowRunIds[17] ?? '';
    const [run] = (await api.request(FlowRunByIdDocument, { id: flowRunId })).flow_run;
    const history = (await api.request(FlowRunStatesDocument, { flowRunId })).flow_run_state;
    expect(history.map((state) => [state.state, state.version])).toEqual([
      ['Scheduled', 1],
      ['Submitted', 2],
      ['Running', 3],
      ['Success', 4],
    ]);
    expect(run).toMatchObject({
      state: 'Success',
      version: 4,
      start_time: history[2]?.timestamp,
      end_time: history[3]?.timestamp,
      serialized_state: history[3]?.serialized_state,
    });
    const taskRuns = (await api.request(TaskRunsPageDocument, { flowRunId, limit: 100 })).task_run;
    expect(taskRuns).toHaveLength(8);
    const children = (await api.request(MappedTaskRunsDocument, { flowRunId, slug: 'mapped-1', limit: 10 })).task_run;
    expect(children.map((child) => child.map_index)).toEqual([0, 1, 2, 3, 4]);
    const parent = taskRuns.find((taskRun) => taskRun.task.slug === 'mapped-1' && taskRun.map_index === -1);
    expect(parent?.serialized_state).toMatchObject({ type: 'Mapped', n_map_states: 5 });
    const parentHistory = (await api.request(TaskRunStatesDocument, { taskRunId: parent?.id ?? '' })).task_run_state;
    expect(parentHistory.map((state) => state.state)).toEqual(['Pending', 'Running', 'Mapped']);
  });

  it.skipIf(backend.skip)('puts thousands of lines on one microsecond, and keyset paging returns each exactly once', async () => {
    const flowRunId = crowded.flowRunIds[0] ?? '';
    let page = (await api.request(FlowRunLogsFirstPageDocument, { flowRunId, limit: 1000 })).log;
    const seen: string[] = [];
    while (page.length > 0) {
      seen.push(...page.map((log) => log.id));
      const last = page.at(-1);
      if (!last) break;
      page = (await api.request(FlowRunLogsPageDocument, { flowRunId, afterTimestamp: last.timestamp, afterId: last.id, limit: 1000 })).log;
    }
    expect(seen).toHaveLength(2_500);
    expect(new Set(seen).size).toBe(2_500);
    const timestamps = await test.server.db.kysely.selectFrom('log').select('timestamp').distinct().where('flow_run_id', '=', flowRunId).execute();
    expect(timestamps).toHaveLength(1);
  });

  it.skipIf(backend.skip)('refuses negative sizes', async () => {
    await expect(generateSynthetic(test.server.db, { flowRuns: -1 })).rejects.toThrow(RangeError);
  });
});
