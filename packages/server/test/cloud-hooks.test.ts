/**
 * Cloud hooks on both backends, against a real HTTP receiver on a loopback port: the
 * management mutations (happy path, Prefect Server's answers to bad input, other tenants'
 * hooks untouched, read-only keys refused), the calls made on flow run state changes (which
 * hooks, which payload, in order, without holding up the write, failures logged without the
 * URL), `test_cloud_hook`, and two dispatchers on one database calling each state's hooks once.
 */
import { randomUUID } from 'node:crypto';
import {
  ConformanceCreateCloudHookDocument,
  ConformanceCreateFlowDocument,
  ConformanceCreateProjectDocument,
  ConformanceDeleteCloudHookDocument,
  ConformanceRegisteredFlowDocument,
  ConformanceSetCloudHookActiveDocument,
  ConformanceSetCloudHookInactiveDocument,
  ConformanceTeamCloudHooksDocument,
  ConformanceTestCloudHookDocument,
} from '@runview/documents/conformance';
import type { JsonObject, JsonValue } from '@runview/documents';
import { CancelFlowRunDocument, CreateFlowRunDocument, SetFlowRunStatesDocument } from '@runview/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudHooks } from '../src/cloud-hooks/dispatcher.js';
import { ChangeEvents, DEFAULT_TENANT_ID, type ChangeEvent, type Logger } from '../src/index.js';
import { writeRunState } from '../src/mutations/state-writer.js';
import type { GraphQLAnswer, GraphQLClient } from '../src/simulate/client.js';
import { parseState } from '../src/states/index.js';
import { BACKENDS, startTestServer, type TestServer } from './mutations-harness.js';
import { refusedUrl, startHookReceiver, type HookReceiver, type ReceivedCall } from './support/hook-receiver.js';

const OTHER_TENANT = '5e8f1a2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b';
const UNKNOWN = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
/** A Slack webhook URL's path is its secret: it must never show in a log line. */
const SECRET_PATH = '/services/T0000/B0000/s3cr3tT0k3n';

function errorsOf(answer: GraphQLAnswer<unknown>): string[] {
  return (answer.errors ?? []).map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`);
}

function flowDefinition(name: string): JsonObject {
  return {
    name,
    type: 'prefect.core.flow.Flow',
    schedule: null,
    parameters: [],
    tasks: [{ slug: 'only-1', name: 'only', type: 'prefect.core.task.Task', tags: [], __version__: '1.4.1' }],
    edges: [],
    reference_tasks: [],
    __version__: '1.4.1',
  };
}

/** A hook call's event, as a WEBHOOK receives it. */
interface HookEvent {
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly is_test_event: boolean;
  readonly flow_run: Record<string, JsonValue>;
  readonly state: Record<string, JsonValue>;
  readonly flow: Record<string, JsonValue>;
  readonly tenant: Record<string, JsonValue>;
}

/** The hook call's `{"event": ...}`. */
function eventOf(call: ReceivedCall | undefined): HookEvent {
  return (call?.body as { event: HookEvent }).event;
}

/** `path: state` of a call's event, to compare sequences of calls. */
function summary(call: ReceivedCall): string {
  const state = eventOf(call).state['state'];
  return `${call.path}: ${typeof state === 'string' ? state : '?'}`;
}

/** A logger that keeps its lines and lets a test wait for one. */
function recordingLogger(): Logger & { lines: string[]; waitFor(pattern: RegExp): Promise<string> } {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const record = (...args: unknown[]): void => {
    const line = args.map(String).join(' ');
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  return {
    lines,
    debug: () => undefined,
    info: () => undefined,
    warn: record,
    error: record,
    waitFor: (pattern) => {
      const found = lines.find((line) => pattern.test(line));
      return found !== undefined ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

describe.each(BACKENDS)('cloud hooks on $name', (backend) => {
  let test: TestServer;
  let api: GraphQLClient;
  let other: GraphQLClient;
  let reader: GraphQLClient;
  let receiver: HookReceiver;
  const logger = recordingLogger();
  const events: ChangeEvent[] = [];
  let projectId: string;
  /** Two flows in two version groups. */
  let flow: { id: string; versionGroupId: string };
  let otherFlow: { id: string; versionGroupId: string };

  async function registerFlow(): Promise<{ id: string; versionGroupId: string }> {
    const created = await api.request(ConformanceCreateFlowDocument, {
      input: { project_id: projectId, serialized_flow: flowDefinition(`hooked-${randomUUID()}`) },
    });
    const id = created.create_flow?.id ?? '';
    const registered = await api.request(ConformanceRegisteredFlowDocument, { id });
    return { id, versionGroupId: registered.flow_by_pk?.version_group_id ?? '' };
  }

  async function createHook(input: {
    type?: string;
    states: string[];
    url?: string;
    config?: JsonValue;
    version_group_id?: string;
    name?: string;
  }): Promise<string> {
    const { url, type = 'WEBHOOK', ...rest } = input;
    const data = await api.request(ConformanceCreateCloudHookDocument, {
      input: { tenant_id: DEFAULT_TENANT_ID, type: type as 'WEBHOOK', config: url === undefined ? (input.config ?? null) : { url }, ...rest },
    });
    return data.create_cloud_hook?.id ?? '';
  }

  async function newRun(flowId = flow.id): Promise<string> {
    const data = await api.request(CreateFlowRunDocument, { input: { flow_id: flowId } });
    return data.create_flow_run?.id ?? '';
  }

  async function setState(flowRunId: string, type: string, message = `${type} now`): Promise<void> {
    await api.request(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: flowRunId, state: { type, message } }] } });
  }

  async function hookRow(id: string) {
    return test.server.db.kysely.selectFrom('cloud_hook').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async function hookCount(): Promise<number> {
    const row = await test.server.db.kysely
      .selectFrom('cloud_hook')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  beforeAll(async () => {
    if (backend.skip) return;
    receiver = await startHookReceiver();
    test = await startTestServer(backend, { apiKeys: ['writer', 'reader:read', `other:${OTHER_TENANT}`], logger });
    api = test.client('writer');
    other = test.client('other');
    reader = test.client('reader');
    test.server.events.subscribe((event) => events.push(event));
    const project = await api.request(ConformanceCreateProjectDocument, { input: { tenant_id: DEFAULT_TENANT_ID, name: `hooks-${randomUUID()}` } });
    projectId = project.create_project?.id ?? '';
    flow = await registerFlow();
    otherFlow = await registerFlow();
  }, 120_000);

  afterAll(async () => {
    if (backend.skip) return;
    await test.close();
    await receiver.close();
  });

  describe.skipIf(backend.skip)('management', () => {
    it('create_cloud_hook stores a hook with its states in upper case, each once; the UI lists it', async () => {
      const id = await createHook({ states: ['Running', 'failed', 'RUNNING'], url: receiver.url('/listed'), name: 'ops' });
      expect(await hookRow(id)).toMatchObject({
        tenant_id: DEFAULT_TENANT_ID,
        type: 'WEBHOOK',
        config: { url: receiver.url('/listed') },
        states: ['RUNNING', 'FAILED'],
        active: true,
        name: 'ops',
        version_group_id: null,
      });
      expect(events).toContainEqual(expect.objectContaining({ table: 'cloud_hook', operation: 'insert', ids: [id] }));
      const listed = await api.request(ConformanceTeamCloudHooksDocument, { searchParams: [{ id: { _eq: id } }] });
      expect(listed.cloud_hook).toEqual([
        expect.objectContaining({ id, active: true, states: ['RUNNING', 'FAILED'], type: 'WEBHOOK', tenant_id: DEFAULT_TENANT_ID }),
      ]);
      expect((await other.request(ConformanceTeamCloudHooksDocument, { searchParams: [{ id: { _eq: id } }] })).cloud_hook).toEqual([]);
      const prefectMessage = await createHook({ type: 'PREFECT_MESSAGE', states: ['SUCCESS'], config: {} });
      expect(await hookRow(prefectMessage)).toMatchObject({ type: 'PREFECT_MESSAGE', config: {} });
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: prefectMessage } });
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });

    it('create_cloud_hook refuses what Prefect Server refuses, and writes nothing', async () => {
      const before = await hookCount();
      const url = receiver.url('/never');
      const send = (input: Record<string, unknown>) =>
        api.send(ConformanceCreateCloudHookDocument, {
          input: { tenant_id: DEFAULT_TENANT_ID, type: 'WEBHOOK', states: ['FAILED'], config: { url }, ...input } as never,
        });
      expect(errorsOf(await send({ states: [] }))).toEqual(['BAD_USER_INPUT: Invalid states']);
      expect(errorsOf(await send({ states: ['Running', 'Pending', 'test-url'] }))).toEqual(['BAD_USER_INPUT: Invalid states']);
      expect(errorsOf(await send({ config: null }))).toEqual(['BAD_USER_INPUT: Invalid config; expected `url`']);
      expect(errorsOf(await send({ config: { url, other: 2 } }))).toEqual(['BAD_USER_INPUT: Invalid config; expected `url`']);
      expect(errorsOf(await send({ type: 'SLACK_WEBHOOK', config: {} }))).toEqual(['BAD_USER_INPUT: Invalid config; expected `url`']);
      // Stricter than Prefect Server, which would store these and fail at every call.
      expect(errorsOf(await send({ config: { url: 'test-url' } }))).toEqual([
        'BAD_USER_INPUT: Invalid config; `url` must be an http or https URL without credentials',
      ]);
      expect(errorsOf(await send({ config: { url: 'http://user:pass@127.0.0.1/x' } }))).toHaveLength(1);
      expect(errorsOf(await send({ type: 'TWILIO', config: { account_sid: 'a', auth_token: 'b', messaging_service_sid: 'c', to: ['+1555'] } }))).toEqual([
        'NOT_IMPLEMENTED: TWILIO cloud hooks are not supported by this server: it calls WEBHOOK, SLACK_WEBHOOK, PREFECT_MESSAGE hooks',
      ]);
      expect(errorsOf(await send({ tenant_id: OTHER_TENANT }))[0]).toMatch(/^FORBIDDEN: Invalid tenant ID/);
      // An unknown type is not in the enum: GraphQL refuses it before the resolver runs.
      expect(errorsOf(await send({ type: 'bad-type' }))).toHaveLength(1);
      expect(await hookCount()).toBe(before);
    });

    it("set_cloud_hook_inactive and _active switch the caller's hook, again and again; unknown or foreign ids answer success false", async () => {
      const id = await createHook({ states: ['FAILED'], url: receiver.url('/switch') });
      for (let i = 0; i < 2; i += 1) {
        expect(await api.request(ConformanceSetCloudHookInactiveDocument, { input: { cloud_hook_id: id } })).toEqual({
          set_cloud_hook_inactive: { success: true, error: null },
        });
      }
      expect((await hookRow(id))?.active).toBe(false);
      expect(await other.request(ConformanceSetCloudHookActiveDocument, { input: { cloud_hook_id: id } })).toEqual({
        set_cloud_hook_active: { success: false, error: null },
      });
      expect((await hookRow(id))?.active).toBe(false);
      for (let i = 0; i < 2; i += 1) {
        expect(await api.request(ConformanceSetCloudHookActiveDocument, { input: { cloud_hook_id: id } })).toEqual({
          set_cloud_hook_active: { success: true, error: null },
        });
      }
      expect((await hookRow(id))?.active).toBe(true);
      expect(events).toContainEqual(expect.objectContaining({ table: 'cloud_hook', operation: 'update', ids: [id] }));
      expect(await api.request(ConformanceSetCloudHookActiveDocument, { input: { cloud_hook_id: UNKNOWN } })).toEqual({
        set_cloud_hook_active: { success: false, error: null },
      });
      expect(await api.request(ConformanceSetCloudHookInactiveDocument, { input: { cloud_hook_id: UNKNOWN } })).toEqual({
        set_cloud_hook_inactive: { success: false, error: null },
      });
      expect(errorsOf(await api.send(ConformanceSetCloudHookActiveDocument, { input: { cloud_hook_id: 'not-a-uuid' } }))).toHaveLength(1);
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });

    it("delete_cloud_hook deletes the caller's hook only", async () => {
      const id = await createHook({ states: ['FAILED'], url: receiver.url('/deleted') });
      expect(await other.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } })).toEqual({
        delete_cloud_hook: { success: false, error: null },
      });
      expect(await hookRow(id)).toBeDefined();
      expect(await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } })).toEqual({
        delete_cloud_hook: { success: true, error: null },
      });
      expect(await hookRow(id)).toBeUndefined();
      expect(events).toContainEqual(expect.objectContaining({ table: 'cloud_hook', operation: 'delete', ids: [id] }));
      expect(await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } })).toEqual({
        delete_cloud_hook: { success: false, error: null },
      });
    });

    it('a read-only key may list hooks but not create, switch, delete or test them', async () => {
      const id = await createHook({ states: ['FAILED'], url: receiver.url('/read-only') });
      const refused = [
        await reader.send(ConformanceCreateCloudHookDocument, {
          input: { tenant_id: DEFAULT_TENANT_ID, type: 'WEBHOOK', states: ['FAILED'], config: { url: receiver.url('/x') } },
        }),
        await reader.send(ConformanceSetCloudHookInactiveDocument, { input: { cloud_hook_id: id } }),
        await reader.send(ConformanceSetCloudHookActiveDocument, { input: { cloud_hook_id: id } }),
        await reader.send(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } }),
        await reader.send(ConformanceTestCloudHookDocument, { input: { cloud_hook_id: id } }),
      ];
      for (const answer of refused) expect(errorsOf(answer)[0]).toMatch(/^FORBIDDEN: /);
      expect((await reader.request(ConformanceTeamCloudHooksDocument, { searchParams: [{ id: { _eq: id } }] })).cloud_hook).toHaveLength(1);
      expect(await hookRow(id)).toMatchObject({ active: true });
      expect(receiver.calls.filter((call) => call.path === '/read-only')).toEqual([]);
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });
  });

  describe.skipIf(backend.skip)('calls on flow run state changes', () => {
    it("posts the event of each matching state, in order: exact state names, the flow's version group or all flows, active hooks only", async () => {
      const hooks = [
        await createHook({ states: ['RUNNING', 'SUCCESS'], url: receiver.url('/group'), version_group_id: flow.versionGroupId }),
        await createHook({ states: ['SCHEDULED', 'CANCELLED'], url: receiver.url('/all') }),
        // A hook matches its states exactly: not Scheduled's parent Pending, not Failed's child TriggerFailed.
        await createHook({ states: ['PENDING', 'TRIGGERFAILED'], url: receiver.url('/exact') }),
        await createHook({ states: ['RUNNING', 'SUCCESS'], url: receiver.url('/elsewhere'), version_group_id: otherFlow.versionGroupId }),
      ];
      const off = await createHook({ states: ['SCHEDULED', 'RUNNING', 'SUCCESS'], url: receiver.url('/off') });
      await api.request(ConformanceSetCloudHookInactiveDocument, { input: { cloud_hook_id: off } });
      const runId = await newRun();
      await setState(runId, 'Submitted');
      await setState(runId, 'Running');
      await setState(runId, 'Failed');
      await setState(runId, 'Success', 'All reference tasks succeeded.');
      const calls = [await receiver.next(), await receiver.next(), await receiver.next()];
      expect(calls.map(summary)).toEqual(['/all: Scheduled', '/group: Running', '/group: Success']);
      const second = await newRun();
      await api.request(CancelFlowRunDocument, { input: { flow_run_id: second } });
      const cancelled = [await receiver.next(), await receiver.next()];
      expect(cancelled.map(summary)).toEqual(['/all: Scheduled', '/all: Cancelled']);
      // Each run's states are handled in order, so nothing else was called for the first run.
      expect(receiver.calls.map(summary)).toEqual([...calls, ...cancelled].map(summary));

      const [, running, success] = calls;
      const event = eventOf(success);
      expect(success?.headers['x-prefect-event-id']).toBe(event.id);
      expect(success?.headers['content-type']).toMatch(/^application\/json/);
      expect(event).toMatchObject({
        type: 'FlowRunStateChange',
        is_test_event: false,
        flow_run: { id: runId, flow_id: flow.id, tenant_id: DEFAULT_TENANT_ID, state: 'Success', version: 5 },
        state: {
          flow_run_id: runId,
          state: 'Success',
          message: 'All reference tasks succeeded.',
          version: 5,
          serialized_state: { type: 'Success', message: 'All reference tasks succeeded.' },
        },
        flow: { id: flow.id, version_group_id: flow.versionGroupId },
        tenant: { id: DEFAULT_TENANT_ID, slug: 'default' },
      });
      expect(event.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
      expect(event.id).not.toBe(eventOf(running).id);
      for (const id of [...hooks, off]) await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });

    it('a hook switched back on is called for the states set from then on only', async () => {
      const runId = await newRun();
      const id = await createHook({ states: ['RUNNING', 'SUCCESS'], url: receiver.url('/again') });
      await api.request(ConformanceSetCloudHookInactiveDocument, { input: { cloud_hook_id: id } });
      await setState(runId, 'Running');
      await api.request(ConformanceSetCloudHookActiveDocument, { input: { cloud_hook_id: id } });
      await setState(runId, 'Success');
      expect(summary(await receiver.next())).toBe('/again: Success');
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });

    it('SLACK_WEBHOOK posts a Slack message; PREFECT_MESSAGE adds a notification', async () => {
      const slack = await createHook({ type: 'SLACK_WEBHOOK', states: ['RUNNING'], url: receiver.url('/slack') });
      const notify = await createHook({ type: 'PREFECT_MESSAGE', states: ['RUNNING'], config: {} });
      const runId = await newRun();
      const messageAdded = new Promise<ChangeEvent>((resolve) => {
        const stop = test.server.events.subscribe((event) => {
          if (event.table === 'message' && event.operation === 'insert') {
            stop();
            resolve(event);
          }
        });
      });
      await setState(runId, 'Running', 'Running flow.');
      const call = await receiver.next();
      expect(call.path).toBe('/slack');
      const { blocks } = call.body as { blocks: { type: string; text: { type: string; text: string } }[] };
      const runName = (await test.server.db.kysely.selectFrom('flow_run').select('name').where('id', '=', runId).executeTakeFirstOrThrow()).name ?? '';
      expect(blocks.map((block) => block.text.text)).toEqual([
        expect.stringMatching(new RegExp(`^Run \`${runName}\` of flow \`hooked-.*\` entered a new state:$`)),
        '*State:* `Running`',
        '*Message:* Running flow.',
        `*Link:* http://localhost:4200/default/flow-run/${runId}`,
      ]);
      const added = await messageAdded;
      const message = await test.server.db.kysely
        .selectFrom('message')
        .selectAll()
        .where('id', '=', added.ids?.[0] ?? '')
        .executeTakeFirstOrThrow();
      expect(message).toMatchObject({
        tenant_id: DEFAULT_TENANT_ID,
        type: 'CLOUD_HOOK',
        read: false,
        content: { type: 'CLOUD_HOOK', event: { type: 'FlowRunStateChange', flow_run: { id: runId }, state: { state: 'Running' } } },
      });
      for (const id of [slack, notify]) await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });

    it('never holds up the state write: a receiver that does not answer is given up after 2 s and logged', async () => {
      const id = await createHook({ states: ['RUNNING'], url: receiver.url(`/hang${SECRET_PATH}`) });
      const runId = await newRun();
      await setState(runId, 'Running');
      // The write has answered; the hook's call is still waiting for its receiver.
      expect(logger.lines.some((line) => line.includes(id))).toBe(false);
      expect((await receiver.next()).path).toBe(`/hang${SECRET_PATH}`);
      const line = await logger.waitFor(new RegExp(id));
      expect(line).toBe(`cloud hook ${id} (WEBHOOK) for flow run ${runId} (Running) not delivered: no answer within 2 s`);
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });

    it('logs a hook that cannot be reached without its URL, and still calls the others', async () => {
      const url = await refusedUrl(SECRET_PATH);
      const broken = await createHook({ type: 'SLACK_WEBHOOK', states: ['RUNNING'], url });
      const failing = await createHook({ states: ['RUNNING'], url: receiver.url('/fail/answer') });
      const working = await createHook({ states: ['RUNNING'], url: receiver.url('/still-called') });
      const runId = await newRun();
      await setState(runId, 'Running');
      const calls = [await receiver.next(), await receiver.next()];
      expect(calls.map((call) => call.path).sort()).toEqual(['/fail/answer', '/still-called']);
      expect(await logger.waitFor(new RegExp(broken))).toBe(
        `cloud hook ${broken} (SLACK_WEBHOOK) for flow run ${runId} (Running) not delivered: connection refused`,
      );
      expect(await logger.waitFor(new RegExp(failing))).toBe(`cloud hook ${failing} (WEBHOOK) for flow run ${runId} (Running): the receiver answered HTTP 500`);
      expect(logger.lines.join('\n')).not.toContain('s3cr3t');
      for (const id of [broken, failing, working]) await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });

    it("never calls another tenant's hooks", async () => {
      const foreign = await other.request(ConformanceCreateCloudHookDocument, {
        input: { tenant_id: OTHER_TENANT, type: 'WEBHOOK', states: ['RUNNING', 'SUCCESS'], config: { url: receiver.url('/foreign') } },
      });
      const own = await createHook({ states: ['SUCCESS'], url: receiver.url('/own') });
      const runId = await newRun();
      await setState(runId, 'Running');
      await setState(runId, 'Success');
      expect(summary(await receiver.next())).toBe('/own: Success');
      expect(receiver.calls.filter((call) => call.path === '/foreign')).toEqual([]);
      await other.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: foreign.create_cloud_hook?.id ?? '' } });
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: own } });
    });
  });

  describe.skipIf(backend.skip)('test_cloud_hook', () => {
    it('sends a test event at once: a made-up run, or a real one in the state asked for', async () => {
      const id = await createHook({ states: ['FAILED'], url: receiver.url('/test') });
      expect(await api.request(ConformanceTestCloudHookDocument, { input: { cloud_hook_id: id } })).toEqual({
        test_cloud_hook: { success: true, error: null },
      });
      const sample = await receiver.next();
      expect(eventOf(sample)).toMatchObject({
        type: 'FlowRunStateChange',
        is_test_event: true,
        flow: { name: 'Cloud Hook Test Flow' },
        tenant: { id: DEFAULT_TENANT_ID, slug: 'test-slug' },
        state: { version: 1, state: 'Success', serialized_state: { type: 'Success', message: 'Test success state' } },
      });
      expect(sample.headers['x-prefect-event-id']).toBe(eventOf(sample).id);
      const runId = await newRun();
      expect(await api.request(ConformanceTestCloudHookDocument, { input: { cloud_hook_id: id, flow_run_id: runId, state_type: 'FAILED' } })).toEqual({
        test_cloud_hook: { success: true, error: null },
      });
      expect(eventOf(await receiver.next())).toMatchObject({
        is_test_event: true,
        flow_run: { id: runId, is_test_event: true, version: 2, state: 'Failed' },
        flow: { id: flow.id, version_group_id: flow.versionGroupId },
        tenant: { id: DEFAULT_TENANT_ID, slug: 'default' },
        state: { state: 'Failed', serialized_state: { type: 'Failed', message: 'Test failed state' } },
      });
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });

    it('reports what went wrong in the payload, as Prefect Server does', async () => {
      const id = await createHook({ states: ['FAILED'], url: await refusedUrl(SECRET_PATH) });
      expect(await api.request(ConformanceTestCloudHookDocument, { input: { cloud_hook_id: id } })).toEqual({
        test_cloud_hook: { success: false, error: 'connection refused' },
      });
      expect(await api.request(ConformanceTestCloudHookDocument, { input: { cloud_hook_id: UNKNOWN } })).toEqual({
        test_cloud_hook: { success: false, error: 'Invalid ID' },
      });
      expect(await other.request(ConformanceTestCloudHookDocument, { input: { cloud_hook_id: id } })).toEqual({
        test_cloud_hook: { success: false, error: 'Invalid ID' },
      });
      expect(await api.request(ConformanceTestCloudHookDocument, { input: { cloud_hook_id: id, flow_run_id: UNKNOWN } })).toEqual({
        test_cloud_hook: { success: false, error: 'Invalid flow run ID.' },
      });
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });
  });

  describe.skipIf(backend.skip)('several server processes', () => {
    it("calls each state's hooks once when two processes hear the same change", async () => {
      const id = await createHook({ states: ['SCHEDULED', 'RUNNING', 'SUCCESS'], url: receiver.url('/once') });
      const runId = await newRun();
      // The server's own dispatcher has handled the run's first state: it hears nothing below.
      expect(summary(await receiver.next())).toBe('/once: Scheduled');
      // Two more dispatchers on the same database, each hearing every change, as two processes do through the relay.
      const buses = [new ChangeEvents(), new ChangeEvents()];
      const dispatchers = await Promise.all(buses.map((bus) => startCloudHooks({ db: test.server.db, events: bus, logger, now: () => new Date() })));
      try {
        for (const type of ['Running', 'Success']) {
          await test.server.db.transaction((tx) => writeRunState(tx, 'flow_run', { id: runId, tenantId: DEFAULT_TENANT_ID }, parseState({ type }), new Date()));
          for (const bus of buses) bus.emit({ table: 'flow_run_state', operation: 'insert', tenantId: DEFAULT_TENANT_ID, flowRunId: runId });
        }
        await Promise.all(dispatchers.map((dispatcher) => dispatcher.idle()));
      } finally {
        await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
      }
      expect(receiver.calls.filter((call) => call.path === '/once').map(summary)).toEqual(['/once: Scheduled', '/once: Running', '/once: Success']);
      const taken = [await receiver.next(), await receiver.next()];
      expect(taken.map(summary)).toEqual(['/once: Running', '/once: Success']);
      await api.request(ConformanceDeleteCloudHookDocument, { input: { cloud_hook_id: id } });
    });
  });
});
