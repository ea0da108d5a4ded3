// Every example of Prefect's "Inspecting flow runs" document, run against the demo data of a
// real @runview/server on a loopback port, output for output (the views' reprs use camelCase
// field names where Python's use snake_case).
import { FlowRunsByNameDocument } from '@runview/documents';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlowRunView, type RunviewClient } from '../src/index.js';
import { countRequests, DEMO, sharedServer, type TestServer } from './support/server.js';

let demo: TestServer;
let client: RunviewClient;
let flowRun: FlowRunView;

beforeAll(async () => {
  demo = await sharedServer();
  client = demo.client();
  flowRun = await FlowRunView.fromFlowRunId('4c0101af-c6bb-4b96-8661-63a5bbfb5596', { client });
}, 180_000);

describe('the seed walk-through', () => {
  it('reads the flow run state', () => {
    expect(String(flowRun.state)).toBe('<Success: "All reference tasks succeeded.">');
    expect(inspect(flowRun.state)).toBe('<Success: "All reference tasks succeeded.">');
    expect(flowRun.state.isFinished()).toBe(true);
    expect(flowRun.state.isRunning()).toBe(false);
    expect(flowRun.state.message).toBe('All reference tasks succeeded.');
  });

  it('gets the six logs, level 20, as Prefect prints them', async () => {
    const logs = await flowRun.getLogs();
    expect(logs.map((log) => inspect(log))).toEqual([
      "FlowRunLog(timestamp=DateTime(1978, 03, 08, 22, 30, 00, 000000, tzinfo=Timezone('+00:00')), level=20, message='Submitted for execution: Task XXXXXXX')",
      "FlowRunLog(timestamp=DateTime(1978, 03, 08, 22, 30, 01, 123456, tzinfo=Timezone('+00:00')), level=20, message=\"Beginning Flow run for 'radio_show'\")",
      "FlowRunLog(timestamp=DateTime(1978, 03, 08, 22, 30, 02, 234567, tzinfo=Timezone('+00:00')), level=20, message=\"Task 'series_one': Starting task run...\")",
      "FlowRunLog(timestamp=DateTime(1978, 03, 08, 22, 42, 42, 424242, tzinfo=Timezone('+00:00')), level=20, message='It feels like I just had my brains smashed out by a slice of lemon wrapped round a large gold brick.')",
      "FlowRunLog(timestamp=DateTime(1978, 04, 12, 22, 59, 59, 987654, tzinfo=Timezone('+00:00')), level=20, message=\"Task 'series_one': Finished task run for task with final state: 'Success'\")",
      "FlowRunLog(timestamp=DateTime(1978, 04, 12, 23, 00, 00, 000000, tzinfo=Timezone('+00:00')), level=20, message='Flow run SUCCESS: all reference tasks succeeded')",
    ]);
    expect(logs.every((log) => log.level === 20 && log.levelName === 'INFO')).toBe(true);
    expect(logs[1]?.timestamp).toEqual(new Date('1978-03-08T22:30:01.123Z'));
    expect(logs[1]?.timestampRaw).toBe('1978-03-08T22:30:01.123456+00:00');
  });

  it('gets the flow metadata', async () => {
    const flow = await flowRun.getFlowMetadata();
    expect(inspect(flow)).toBe("FlowView(flowId='8bdcf5b5-7598-49d1-a885-61612ca550de', name='hello-world', projectName='default', storageType=Module)");
    expect(flow).toMatchObject({ flowId: '8bdcf5b5-7598-49d1-a885-61612ca550de', name: 'hello-world', projectName: 'default', storageType: 'Module' });
  });

  it('gets a task run by slug', async () => {
    const taskRun = await flowRun.getTaskRun({ taskSlug: 'say_hello-1' });
    expect(inspect(taskRun)).toBe(
      "TaskRunView(taskRunId='c8751f34-9d5e-4ea7-aead-8b50978dabb7', taskId='34b0dd2d-582e-4f0a-923d-63daf1e38fe5', taskSlug='say_hello-1', state=<Success: \"Task run succeeded.\">, result=<not loaded>)",
    );
  });

  it('lists the task run ids', async () => {
    expect(await flowRun.getTaskRunIds()).toEqual([
      'c8751f34-9d5e-4ea7-aead-8b50978dabb7',
      'f5f422f6-4f56-45d2-bd55-5ea048070d84',
      '7cc167d3-737d-4187-85d8-d5e5a75fbd93',
    ]);
  });

  it("answers the document's GraphQL query by name with its example response", async () => {
    expect(await client.query(FlowRunsByNameDocument, { name: 'woodoo-leopard' })).toEqual({
      flow_run: [{ id: '8e445d74-9ca6-425b-98e5-72754b7ea174', state: 'Success', start_time: '2021-05-12T17:59:56.383629+00:00' }],
    });
  });

  it("costs one request per call, as Prefect's plan, and nothing for what the view caches", async () => {
    const fresh = demo.client();
    const { requests } = await countRequests(fresh, async () => {
      const view = await FlowRunView.fromFlowRunId(DEMO.reference, { client: fresh });
      await view.getLogs();
      await view.getFlowMetadata();
      await view.getTaskRun({ taskSlug: 'say_hello-1' });
      await view.getTaskRunIds();
      // Cached: the flow metadata, the finished task run, the finished run's task run ids.
      await view.getFlowMetadata();
      await view.getTaskRun({ taskSlug: 'say_hello-1' });
      await view.getTaskRunIds();
    });
    expect(requests).toBe(5);
  });
});
