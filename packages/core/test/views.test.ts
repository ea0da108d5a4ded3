// FlowRunView, TaskRunView and FlowView against a real @runview/server: Prefect's caching rules
// counted in HTTP requests, paging past 1,000 task runs, null and unknown states, lookups and
// their errors, JSON round trips and inspectFlowRun's request budget.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AmbiguousError,
  FlowRunView,
  FlowView,
  inspectFlowRun,
  InvalidArgumentError,
  InvalidResponseError,
  InvalidState,
  NotFoundError,
  Pending,
  ResultUnavailableError,
  Scheduled,
  TaskRunView,
  UnknownState,
  type RunviewClient,
} from '../src/index.js';
import { FLOW_RUN_COLUMNS } from '../src/views/flow-run-columns.js';
import { TASK_RUN_COLUMNS } from '../src/views/task-run-columns.js';
import { countRequests, DEMO, insertFlowRun, insertTaskRuns, sharedServer, type TestServer } from './support/server.js';

let demo: TestServer;
let client: RunviewClient;

beforeAll(async () => {
  demo = await sharedServer();
  client = demo.client();
}, 180_000);

const SUCCESS = { type: 'Success', message: 'Task run succeeded.', __version__: '1.4.1' };

describe('FlowRunView caching, counted in requests', () => {
  it('fetches a finished task run once, by slug or id, and getLatest() keeps it', async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client });
    const first = await countRequests(client, () => view.getTaskRun({ taskSlug: 'say_hello-1' }));
    expect(first.requests).toBe(1);
    const again = await countRequests(client, () => view.getTaskRun({ taskSlug: 'say_hello-1', mapIndex: -1 }));
    expect(again.requests).toBe(0);
    expect(again.result).toBe(first.result);
    const byId = await countRequests(client, () => view.getTaskRun({ taskRunId: DEMO.taskRuns['say_hello-1'] }));
    expect(byId.requests).toBe(0);
    expect(view.cachedTaskRuns).toHaveLength(1);

    await view.getFlowMetadata();
    await view.getTaskRunIds();
    const latest = await countRequests(client, () => view.getLatest());
    expect(latest.requests).toBe(1);
    expect(latest.result).not.toBe(view);
    expect(latest.result.cachedTaskRuns.map((taskRun) => taskRun.taskRunId)).toEqual([DEMO.taskRuns['say_hello-1']]);
    expect((await countRequests(client, () => latest.result.getTaskRun({ taskSlug: 'say_hello-1' }))).requests).toBe(0);
    // The flow metadata and the task run ids are not carried over.
    expect((await countRequests(client, () => latest.result.getFlowMetadata())).requests).toBe(1);
    expect((await countRequests(client, () => latest.result.getTaskRunIds())).requests).toBe(1);
  });

  it('re-reads unfinished task runs and the task run ids of an unfinished flow run every time', async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.running, { client });
    expect(view.state.isRunning()).toBe(true);
    const all = await view.getAllTaskRuns();
    const unfinished = all.find((taskRun) => !taskRun.state.isFinished());
    if (!unfinished) throw new Error('the running demo run has no unfinished task run');
    expect(view.cachedTaskRuns.every((taskRun) => taskRun.state.isFinished())).toBe(true);
    expect(view.cachedTaskRuns.length).toBe(all.filter((taskRun) => taskRun.state.isFinished()).length);
    expect((await countRequests(client, () => view.getTaskRun({ taskRunId: unfinished.taskRunId }))).requests).toBe(1);
    expect((await countRequests(client, () => view.getTaskRun({ taskRunId: unfinished.taskRunId }))).requests).toBe(1);
    expect((await countRequests(client, () => view.getTaskRunIds())).requests).toBe(1);
    expect((await countRequests(client, () => view.getTaskRunIds())).requests).toBe(1);
  });

  it('caches the flow metadata until noCache', async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client });
    const flow = await view.getFlowMetadata();
    expect((await countRequests(client, () => view.getFlowMetadata())).result).toBe(flow);
    const reloaded = await countRequests(client, () => view.getFlowMetadata({ noCache: true }));
    expect(reloaded.requests).toBe(1);
    expect(reloaded.result).not.toBe(flow);
    expect(reloaded.result.flowId).toBe(DEMO.flowId);
  });

  it('loads the static task runs on request and skips the cached ones afterwards', async () => {
    const loaded = await countRequests(client, () => FlowRunView.fromFlowRunId(DEMO.reference, { client, loadStaticTasks: true }));
    expect(loaded.requests).toBe(2);
    expect(loaded.result.cachedTaskRuns).toHaveLength(3);
    expect((await countRequests(client, () => loaded.result.getTaskRun({ taskSlug: 'say_hello-3' }))).requests).toBe(0);
    const all = await countRequests(client, () => loaded.result.getAllTaskRuns());
    expect(all.requests).toBe(1);
    expect(all.result.map((taskRun) => taskRun.taskRunId).sort()).toEqual(Object.values(DEMO.taskRuns).sort());
  });

  it('keeps its history of states, oldest first, with their timestamps', async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client });
    expect(view.states.map((state) => state.type)).toEqual(['Scheduled', 'Submitted', 'Running', 'Success']);
    expect(view.states.map((state) => state.timestampRaw)).toEqual([
      '1978-03-08T22:29:00+00:00',
      '1978-03-08T22:29:59.5+00:00',
      '1978-03-08T22:30:01.123456+00:00',
      '1978-04-12T23:00:00+00:00',
    ]);
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(view.states)).toBe(true);
  });
});

describe('getTaskRun arguments', () => {
  it('rejects missing, malformed and contradictory arguments', async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client });
    const before = client.requestCount;
    await expect(view.getTaskRun({})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'taskSlug' });
    await expect(view.getTaskRun({ taskRunId: 'c8751f34' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'taskRunId' });
    await expect(view.getTaskRun({ taskSlug: 'say_hello-1', mapIndex: -2 })).rejects.toMatchObject({ argument: 'mapIndex' });
    expect(client.requestCount).toBe(before);
    await expect(view.getTaskRun({ taskRunId: DEMO.taskRuns['say_hello-1'], taskSlug: 'say_hello-2' })).rejects.toThrow(
      /slug "say_hello-1", not "say_hello-2"/,
    );
    await expect(view.getTaskRun({ taskRunId: DEMO.taskRuns['say_hello-1'], mapIndex: 0 })).rejects.toMatchObject({ argument: 'mapIndex' });
    await expect(view.getTaskRun({ taskRunId: '68f0c7c6-c044-451a-ae49-1ca336748ac3' })).rejects.toThrow(/belongs to flow run 3ace8c77/);
    await expect(view.getTaskRun({ taskSlug: 'no-such-task' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(view.getTaskRun({ taskRunId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND', resource: 'task run' });
  });
});

describe('many task runs', () => {
  let flowRunId: string;
  const children = 1205;

  beforeAll(async () => {
    flowRunId = await insertFlowRun(demo.server, { serializedState: { type: 'Success', message: 'done' }, state: 'Success' });
    await insertTaskRuns(demo.server, flowRunId, 1, {
      taskId: DEMO.taskIds['say_hello-2'],
      firstMapIndex: -1,
      serializedState: { type: 'Mapped', n_map_states: children },
      state: 'Mapped',
    });
    await insertTaskRuns(demo.server, flowRunId, children, { taskId: DEMO.taskIds['say_hello-2'], serializedState: SUCCESS, state: 'Success' });
  });

  it('pages past 1,000 task runs', async () => {
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    const all = await countRequests(client, () => view.getAllTaskRuns());
    expect(all.result).toHaveLength(children + 1);
    expect(new Set(all.result.map((taskRun) => taskRun.taskRunId)).size).toBe(children + 1);
    expect(all.requests).toBe(2);
    const ids = await countRequests(client, () => view.getTaskRunIds());
    expect(ids.result).toHaveLength(children + 1);
    expect(new Set(ids.result)).toEqual(new Set(all.result.map((taskRun) => taskRun.taskRunId)));
    expect(ids.requests).toBe(2);
  });

  it('iterates the mapped children in index order, a page per request', async () => {
    const parent = await TaskRunView.fromTaskSlug('say_hello-2', flowRunId, -1, { client });
    expect(parent.state.isMapped() && parent.state.nMapStates).toBe(children);
    const { result: indexes, requests } = await countRequests(client, async () => {
      const seen: number[] = [];
      for await (const child of parent.iterMapped({ pageSize: 500 })) seen.push(child.mapIndex);
      return seen;
    });
    expect(indexes).toEqual(Array.from({ length: children }, (_, index) => index));
    expect(requests).toBe(3);
  });

  it('counts task runs by state on the server', async () => {
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    const counts = await countRequests(client, () => view.getTaskRunStateCounts({ scope: 'children' }));
    expect(counts.requests).toBe(1);
    expect(counts.result.total).toBe(children);
    expect(counts.result.byState.Success).toBe(children);
    expect(counts.result.other).toBe(0);
    const parents = await view.getTaskRunStateCounts({ scope: 'parents' });
    expect(parents.byState.Mapped).toBe(1);
    await expect(view.getTaskRunStateCounts({ scope: 'some' as 'all' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('inspects the run in two requests, counting the mapped children by state', async () => {
    const { result, requests } = await countRequests(client, () => inspectFlowRun(flowRunId, { client }));
    expect(requests).toBe(2);
    expect(result.taskRunCount).toBe(children + 1);
    expect(result.parentTaskRunCount).toBe(1);
    expect(result.taskRuns.map((taskRun) => taskRun.taskSlug)).toEqual(['say_hello-2']);
    expect(result.mappedChildCounts.get(DEMO.taskIds['say_hello-2'])).toMatchObject({ total: children, other: 0, byState: { Success: children, Failed: 0 } });
  });
});

describe('inspectFlowRun on the demo data', () => {
  it('needs one request for a run without mapped tasks, with the newest logs in order', async () => {
    const { result, requests } = await countRequests(client, () => inspectFlowRun(DEMO.reference, { client, logLimit: 4 }));
    expect(requests).toBe(1);
    expect(result.flow.name).toBe('hello-world');
    expect(result.taskRuns.map((taskRun) => taskRun.taskSlug)).toEqual(['say_hello-1', 'say_hello-2', 'say_hello-3']);
    expect(result.logs.map((log) => log.timestampRaw)).toEqual([
      '1978-03-08T22:30:02.234567+00:00',
      '1978-03-08T22:42:42.424242+00:00',
      '1978-04-12T22:59:59.987654+00:00',
      '1978-04-12T23:00:00+00:00',
    ]);
    expect(result.logCount).toBe(6);
    // The view comes with its flow and finished task runs cached.
    expect((await countRequests(client, () => result.flowRun.getFlowMetadata())).requests).toBe(0);
    expect((await countRequests(client, () => result.flowRun.getTaskRun({ taskSlug: 'say_hello-2' }))).requests).toBe(0);
  });

  it('counts the 50 children of the mapped demo run', async () => {
    const { result, requests } = await countRequests(client, () => inspectFlowRun(DEMO.mapped, { client }));
    expect(requests).toBe(2);
    const parent = result.taskRuns.find((taskRun) => taskRun.state.isMapped());
    if (!parent) throw new Error('expected a mapped parent');
    const counts = result.mappedChildCounts.get(parent.taskId);
    expect(counts?.total).toBe(50);
    expect((counts?.byState.Success ?? 0) + (counts?.byState.Failed ?? 0)).toBe(50);
    expect(counts?.byState.Failed).toBe(3);
  });

  it('reports an unknown run', async () => {
    await expect(inspectFlowRun(randomUUID(), { client })).rejects.toBeInstanceOf(NotFoundError);
    await expect(inspectFlowRun('nope', { client })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('null, unknown and malformed states', () => {
  it("gives a flow run without a state Prefect's Pending, and a task run without one Scheduled", async () => {
    const flowRunId = await insertFlowRun(demo.server, { serializedState: undefined });
    const [taskRunId] = await insertTaskRuns(demo.server, flowRunId, 1, { firstMapIndex: -1 });
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    expect(view.state).toBeInstanceOf(Pending);
    expect(String(view.state)).toBe('<Pending: "A state for this flow run is not yet available.">');
    expect(view.states).toEqual([]);
    const taskRun = await view.getTaskRun({ taskRunId: taskRunId ?? '' });
    expect(taskRun.state).toBeInstanceOf(Scheduled);
    expect(view.cachedTaskRuns).toHaveLength(0);
  });

  it('keeps a state type it does not know as an UnknownState', async () => {
    const raw = { type: 'Crashed', message: 'The worker died', exit_code: 137 };
    const flowRunId = await insertFlowRun(demo.server, { serializedState: raw, state: 'Crashed' });
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    expect(view.state).toBeInstanceOf(UnknownState);
    expect(view.state.serialize()).toEqual(raw);
    expect(view.state.isFinished() || view.state.isRunning() || view.state.isPending()).toBe(false);
    expect(String(view)).toContain('state=<UnknownState(Crashed): "The worker died">');
  });

  it('reads a malformed state as an InvalidState whose problem is an invalid response naming the field', async () => {
    const flowRunId = await insertFlowRun(demo.server, { serializedState: { type: 'Success', message: 42 }, state: 'Success' });
    const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
    const { state } = view;
    if (!(state instanceof InvalidState)) throw new TypeError(`expected an InvalidState, got ${String(state)}`);
    const { problem } = state;
    if (!(problem instanceof InvalidResponseError)) throw new TypeError(`expected an InvalidResponseError, got ${String(problem)}`);
    expect(problem.problems.join()).toContain('flow_run.serialized_state');
  });
});

describe('lookups', () => {
  it('finds a flow run by name, lists the matches of an ambiguous name, and reports none', async () => {
    const view = await FlowRunView.fromFlowRunName('woodoo-leopard', { client });
    expect(view.flowRunId).toBe(DEMO.woodooLeopard);
    const name = `twin-${randomUUID().slice(0, 8)}`;
    const ids = [await insertFlowRun(demo.server, { name }), await insertFlowRun(demo.server, { name })];
    const error = await FlowRunView.fromFlowRunName(name, { client }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmbiguousError);
    expect((error as AmbiguousError).matches.map((match) => match.id).sort()).toEqual(ids.sort());
    expect((error as Error).message).toContain(ids[0]);
    await expect(FlowRunView.fromFlowRunName('no-such-run', { client })).rejects.toMatchObject({ code: 'NOT_FOUND', lookup: { name: 'no-such-run' } });
    await expect(FlowRunView.fromFlowRunId(randomUUID(), { client })).rejects.toBeInstanceOf(NotFoundError);
    await expect(FlowRunView.fromFlowRunId('4c0101af', { client })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("finds flows by id, by flow group id and by name with Prefect's rules", async () => {
    const byId = await FlowView.fromFlowId(DEMO.flowId, { client });
    expect(byId).toMatchObject({ name: 'hello-world', projectName: 'default', storageType: 'Module', archived: false });
    expect(byId.storage).toMatchObject({ type: 'Module' });
    expect((await FlowView.fromFlowGroupId(DEMO.flowGroupId, { client })).flowId).toBe(DEMO.flowId);
    expect((await FlowView.fromId(DEMO.flowGroupId, { client })).flowId).toBe(DEMO.flowId);
    await expect(FlowView.fromId(randomUUID(), { client })).rejects.toThrow(/is not an existing flow or flow group id/);
    expect((await FlowView.fromFlowName('hello-world', { client })).flowId).toBe(DEMO.flowId);
    expect((await FlowView.fromFlowName('hello-world', { client, projectName: 'default' })).flowId).toBe(DEMO.flowId);
    await expect(FlowView.fromFlowName('hello-world', { client, projectName: 'elsewhere' })).rejects.toBeInstanceOf(NotFoundError);

    // A second, newer version of the flow makes the name ambiguous unless lastUpdated.
    const newer = randomUUID();
    const project = await demo.server.db.kysely
      .selectFrom('flow')
      .select(['project_id', 'flow_group_id'])
      .where('id', '=', DEMO.flowId)
      .executeTakeFirstOrThrow();
    await demo.server.db.kysely
      .insertInto('flow')
      .values({ id: newer, name: 'hello-world', project_id: project.project_id, flow_group_id: project.flow_group_id, created: '2030-01-01T00:00:00+00:00' })
      .execute();
    const error = await FlowView.fromFlowName('hello-world', { client }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AmbiguousError);
    expect((error as AmbiguousError).matches.map((match) => match.id)).toEqual([newer, DEMO.flowId]);
    expect((await FlowView.fromFlowName('hello-world', { client, lastUpdated: true })).flowId).toBe(newer);
    expect((await FlowView.fromFlowGroupId(DEMO.flowGroupId, { client })).flowId).toBe(newer);
    await demo.server.db.kysely.deleteFrom('flow').where('id', '=', newer).execute();
  });
});

describe('TaskRunView', () => {
  it('reads a task run by id and by slug, and gets the latest', async () => {
    const byId = await TaskRunView.fromTaskRunId(DEMO.taskRuns['say_hello-1'], { client });
    const bySlug = await TaskRunView.fromTaskSlug('say_hello-1', DEMO.reference, -1, { client });
    expect(byId.equals(bySlug)).toBe(true);
    expect(byId).toMatchObject({ taskSlug: 'say_hello-1', mapIndex: -1, flowRunId: DEMO.reference, taskName: 'say_hello' });
    const latest = await countRequests(client, () => byId.getLatest());
    expect(latest.requests).toBe(1);
    expect(latest.result.equals(byId)).toBe(true);
    expect(Object.isFrozen(byId)).toBe(true);
  });

  it("checks Prefect's preconditions for a result location", async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.mapped, { client });
    const extract = await view.getTaskRun({ taskSlug: 'extract-1' });
    const location = await extract.getResultLocation();
    expect(location).toMatchObject({ type: 'LocalResult', location: `${DEMO.mapped}/extract-1.prefect_result` });
    const noResult = await view.getTaskRun({ taskSlug: 'load-1' });
    await expect(noResult.getResultLocation()).rejects.toMatchObject({ code: 'RESULT_UNAVAILABLE', reason: 'no-result' });
    const parent = await view.getTaskRun({ taskSlug: 'transform-1' });
    // Three children failed without a result: the first of them stops the mapped result.
    await expect(parent.getResultLocation()).rejects.toBeInstanceOf(ResultUnavailableError);
    await expect(parent.getResultLocation()).rejects.toMatchObject({ reason: 'no-result' });

    const running = await FlowRunView.fromFlowRunId(DEMO.running, { client });
    const unfinished = (await running.getAllTaskRuns()).find((taskRun) => !taskRun.state.isFinished());
    await expect(unfinished?.getResultLocation()).rejects.toMatchObject({ reason: 'not-finished' });
  });

  it('refuses to iterate the children of a task run that is not mapped', async () => {
    const taskRun = await TaskRunView.fromTaskRunId(DEMO.taskRuns['say_hello-1'], { client });
    const iterate = async (): Promise<void> => {
      for await (const _child of taskRun.iterMapped()) throw new Error('unreachable');
    };
    await expect(iterate()).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('JSON', () => {
  it('restores a FlowRunView from toJSON() without a request, caches included', async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client, loadStaticTasks: true });
    await view.getFlowMetadata();
    const json: unknown = JSON.parse(JSON.stringify(view));
    const { result: restored, requests } = await countRequests(client, () => Promise.resolve(FlowRunView.fromJSON(json, { client })));
    expect(requests).toBe(0);
    expect(restored.toJSON()).toEqual(view.toJSON());
    expect(String(restored)).toBe(String(view));
    expect(restored.state.equals(view.state)).toBe(true);
    expect(restored.states.map((state) => state.timestampRaw)).toEqual(view.states.map((state) => state.timestampRaw));
    expect(restored.updatedAtRaw).toBe(view.updatedAtRaw);
    expect((await countRequests(client, () => restored.getFlowMetadata())).requests).toBe(0);
    expect((await countRequests(client, () => restored.getTaskRun({ taskSlug: 'say_hello-3' }))).requests).toBe(0);
    expect((await restored.getLogs()).length).toBe(6);
    expect(String(FlowView.fromJSON(JSON.parse(JSON.stringify(await view.getFlowMetadata()))))).toBe(String(await view.getFlowMetadata()));
  });

  it('writes each column of the table once: in toJSON, as a property of the view, and read back by fromJSON', async () => {
    const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client });
    const json = view.toJSON();
    expect(Object.keys(json)).toEqual([...Object.keys(FLOW_RUN_COLUMNS), 'taskRuns']);
    for (const [key, column] of Object.entries(FLOW_RUN_COLUMNS)) expect(view).toHaveProperty(column.property ?? key);
    // A Date is the caller's to change: each read is a fresh one.
    expect(view.createdAt).toBeInstanceOf(Date);
    expect(view.createdAt).not.toBe(view.createdAt);
    expect(view.updatedAt.getTime()).toBe(Date.parse(json.updated));
    expect(Object.isFrozen(view)).toBe(true);
    expect(() => FlowRunView.fromJSON({ ...json, startTime: 'yesterday' }, { client })).toThrow(/startTime/);
    expect(() => FlowRunView.fromJSON({ ...json, version: 1.5 }, { client })).toThrow(/version/);
    const upper = FlowRunView.fromJSON({ ...json, flowId: json.flowId.toUpperCase() }, { client });
    expect(upper.flowId).toBe(view.flowId);
  });

  it('writes each task run column once: in toJSON, as a property of the view, and read back by fromJSON', async () => {
    const flowRun = await FlowRunView.fromFlowRunId(DEMO.reference, { client });
    const taskRun = await flowRun.getTaskRun({ taskSlug: 'say_hello-1' });
    const json = taskRun.toJSON();
    expect(Object.keys(json)).toEqual(Object.keys(TASK_RUN_COLUMNS));
    for (const [key, column] of Object.entries(TASK_RUN_COLUMNS)) expect(taskRun).toHaveProperty(column.property ?? key);
    expect(taskRun.updatedAt).not.toBe(taskRun.updatedAt);
    expect(TaskRunView.fromJSON(JSON.parse(JSON.stringify(json)), { client }).toJSON()).toEqual(json);
    expect(() => TaskRunView.fromJSON({ ...json, taskMapped: 'no' }, { client })).toThrow(/taskMapped/);
  });

  it('rejects JSON that is not a view', () => {
    expect(() => FlowRunView.fromJSON({ flowRunId: 'x' }, { client })).toThrow(InvalidArgumentError);
    expect(() => TaskRunView.fromJSON(null, { client })).toThrow(InvalidArgumentError);
    expect(() => FlowView.fromJSON([])).toThrow(InvalidArgumentError);
  });
});
