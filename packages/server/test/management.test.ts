/**
 * The management mutations the Prefect UI and CLI call, one by one on both backends: the
 * happy path and what it wrote, one bad input answered as Prefect Server answers it with
 * nothing written, another tenant's rows left alone, and every one refused to a read-only key.
 */
import { randomUUID } from 'node:crypto';
import {
  ConformanceArchiveFlowDocument,
  ConformanceCreateFlowDocument,
  ConformanceCreateProjectDocument,
  ConformanceCreateTenantDocument,
  ConformanceDeleteFlowDocument,
  ConformanceDeleteFlowGroupDocument,
  ConformanceDeleteFlowGroupScheduleDocument,
  ConformanceDeleteProjectDocument,
  ConformanceDisableFlowHeartbeatDocument,
  ConformanceDisableFlowLazarusProcessDocument,
  ConformanceEnableFlowHeartbeatDocument,
  ConformanceEnableFlowLazarusProcessDocument,
  ConformanceFlowGroupDocument,
  ConformanceProjectDocument,
  ConformanceRegisterEdgesDocument,
  ConformanceRegisterTasksDocument,
  ConformanceRegisteredFlowDocument,
  ConformanceSetFlowGroupDefaultParametersDocument,
  ConformanceSetFlowGroupDescriptionDocument,
  ConformanceSetFlowGroupLabelsDocument,
  ConformanceSetFlowGroupRunConfigDocument,
  ConformanceSetFlowGroupScheduleDocument,
  ConformanceSetProjectDescriptionDocument,
  ConformanceSetProjectNameDocument,
  ConformanceSetScheduleActiveDocument,
  ConformanceSetScheduleInactiveDocument,
  ConformanceTenantsDocument,
  ConformanceUpdateFlowProjectDocument,
  ConformanceUpdateTenantNameDocument,
  ConformanceUpdateTenantSettingsDocument,
  ConformanceUpdateTenantSlugDocument,
} from '@runview/documents/conformance';
import type { JsonObject } from '@runview/documents';
import { CreateFlowRunDocument } from '@runview/documents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID, type ChangeEvent } from '../src/index.js';
import type { GraphQLAnswer, GraphQLClient, TypedDocumentNode } from '../src/simulate/client.js';
import { BACKENDS, startTestServer, type TestServer } from './mutations-harness.js';

const OTHER_TENANT = '7c2d4e6f-8a9b-4c1d-9e2f-3a4b5c6d7e8f';
const PINNED_NOW = new Date('2024-02-29T12:00:00.123Z');
const UNKNOWN = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

function errorsOf(answer: GraphQLAnswer<unknown>): string[] {
  return (answer.errors ?? []).map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`);
}

/** A serialized flow as Prefect Core writes it: two tasks, one mapped edge, an optional schedule and parameters. */
function serializedFlow(name: string, extra: JsonObject = {}): JsonObject {
  return {
    name,
    type: 'prefect.core.flow.Flow',
    schedule: null,
    parameters: [],
    tasks: [
      {
        slug: 'numbers-1',
        name: 'numbers',
        type: 'prefect.tasks.core.function.FunctionTask',
        max_retries: 2,
        retry_delay: 90,
        tags: ['io'],
        trigger: { fn: 'prefect.triggers.all_successful', kwargs: {} },
        cache_key: null,
        __version__: '1.4.1',
      },
      {
        slug: 'add-1',
        name: 'add',
        type: 'prefect.tasks.core.function.FunctionTask',
        max_retries: 0,
        retry_delay: null,
        tags: [],
        trigger: { fn: 'prefect.triggers.all_successful', kwargs: {} },
        __version__: '1.4.1',
      },
    ],
    edges: [
      {
        upstream_task: { slug: 'numbers-1', __version__: '1.4.1' },
        downstream_task: { slug: 'add-1', __version__: '1.4.1' },
        key: 'x',
        mapped: true,
        flattened: false,
        __version__: '1.4.1',
      },
    ],
    reference_tasks: [],
    run_config: { type: 'UniversalRun', labels: ['dev'], __version__: '1.4.1' },
    storage: { type: 'Module', module: 'flows', __version__: '1.4.1' },
    __version__: '1.4.1',
    ...extra,
  };
}

const INTERVAL_SCHEDULE = { type: 'Schedule', clocks: [{ type: 'IntervalClock', interval: 3_600_000_000, parameter_defaults: {} }] };

describe.each(BACKENDS)('management mutations on $name', (backend) => {
  let test: TestServer;
  let api: GraphQLClient;
  let other: GraphQLClient;
  let reader: GraphQLClient;
  let projectId: string;
  const events: ChangeEvent[] = [];

  beforeAll(async () => {
    if (backend.skip) return;
    test = await startTestServer(backend, { apiKeys: ['writer', 'reader:read', `other:${OTHER_TENANT}`], now: () => PINNED_NOW });
    api = test.client('writer');
    other = test.client('other');
    reader = test.client('reader');
    test.server.events.subscribe((event) => events.push(event));
    projectId = await createProject(`project-${randomUUID()}`);
  }, 120_000);

  afterAll(async () => {
    if (!backend.skip) await test.close();
  });

  async function createProject(name: string, client: GraphQLClient = api, tenantId = DEFAULT_TENANT_ID): Promise<string> {
    const data = await client.request(ConformanceCreateProjectDocument, { input: { tenant_id: tenantId, name } });
    if (!data.create_project?.id) throw new TypeError('create_project returned no id');
    return data.create_project.id;
  }

  async function registerFlow(extra: JsonObject = {}, input: { set_schedule_active?: boolean } = {}): Promise<string> {
    const data = await api.request(ConformanceCreateFlowDocument, {
      input: { project_id: projectId, serialized_flow: serializedFlow(`flow-${randomUUID()}`, extra), ...input },
    });
    if (!data.create_flow?.id) throw new TypeError('create_flow returned no id');
    return data.create_flow.id;
  }

  async function flow(id: string) {
    const data = await api.request(ConformanceRegisteredFlowDocument, { id });
    if (!data.flow_by_pk) throw new TypeError(`flow ${id} not found`);
    return data.flow_by_pk;
  }

  async function group(id: string) {
    const data = await api.request(ConformanceFlowGroupDocument, { id });
    if (!data.flow_group_by_pk) throw new TypeError(`flow group ${id} not found`);
    return data.flow_group_by_pk;
  }

  /** A run of the flow, Scheduled; `auto` marks it as the scheduler's. */
  async function scheduledRun(flowId: string, auto: boolean): Promise<string> {
    const data = await api.request(CreateFlowRunDocument, { input: { flow_id: flowId } });
    const id = data.create_flow_run?.id ?? '';
    if (auto) await test.server.db.kysely.updateTable('flow_run').set({ auto_scheduled: true }).where('id', '=', id).execute();
    return id;
  }

  async function runState(id: string): Promise<{ state: string | null; state_message: string | null } | undefined> {
    return test.server.db.kysely.selectFrom('flow_run').select(['state', 'state_message']).where('id', '=', id).executeTakeFirst();
  }

  describe.skipIf(backend.skip)('tenants', () => {
    it('create_tenant makes a tenant its callers can name; a slug that is not slugified is refused', async () => {
      const data = await api.request(ConformanceCreateTenantDocument, { input: { name: 'Data Team', slug: 'data-team' } });
      const id = data.create_tenant?.id ?? '';
      const row = await test.server.db.kysely.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ name: 'Data Team', slug: 'data-team', settings: {}, info: null, tenant_id: id });
      expect(events).toContainEqual(expect.objectContaining({ table: 'tenant', operation: 'insert', ids: [id] }));
      const bad = await api.send(ConformanceCreateTenantDocument, { input: { name: 'x', slug: 'Not A Slug' } });
      expect(errorsOf(bad)).toEqual(['BAD_USER_INPUT: Slug must be "slugified" (lowercase; no spaces)']);
      expect(errorsOf(await api.send(ConformanceCreateTenantDocument, { input: { name: 'again', slug: 'data-team' } }))).toEqual([
        'BAD_USER_INPUT: Uniqueness violation.',
      ]);
    });

    it("update_tenant_name and update_tenant_slug change the caller's tenant only", async () => {
      expect(await api.request(ConformanceUpdateTenantNameDocument, { input: { tenant_id: DEFAULT_TENANT_ID, name: 'Everyone' } })).toEqual({
        update_tenant_name: { id: DEFAULT_TENANT_ID },
      });
      expect(await api.request(ConformanceUpdateTenantSlugDocument, { input: { tenant_id: DEFAULT_TENANT_ID, slug: 'everyone' } })).toEqual({
        update_tenant_slug: { id: DEFAULT_TENANT_ID },
      });
      const tenants = await api.request(ConformanceTenantsDocument, {});
      expect(tenants.tenant.map((tenant) => [tenant.id, tenant.name, tenant.slug])).toEqual([[DEFAULT_TENANT_ID, 'Everyone', 'everyone']]);
      // Another tenant's id is answered as an unknown one: nothing changes there.
      expect(errorsOf(await other.send(ConformanceUpdateTenantNameDocument, { input: { tenant_id: DEFAULT_TENANT_ID, name: 'taken over' } }))).toEqual([
        'NOT_FOUND: Update failed.',
      ]);
      expect(errorsOf(await api.send(ConformanceUpdateTenantSlugDocument, { input: { tenant_id: DEFAULT_TENANT_ID, slug: 'Bad Slug' } }))).toEqual([
        'BAD_USER_INPUT: Slug must be "slugified" (lowercase; no spaces)',
      ]);
      await api.request(ConformanceUpdateTenantNameDocument, { input: { tenant_id: DEFAULT_TENANT_ID, name: 'default' } });
      await api.request(ConformanceUpdateTenantSlugDocument, { input: { tenant_id: DEFAULT_TENANT_ID, slug: 'default' } });
      expect((await api.request(ConformanceTenantsDocument, {})).tenant[0]).toMatchObject({ name: 'default', slug: 'default' });
    });

    it('update_tenant_settings merges the given keys; an unknown tenant is refused', async () => {
      await api.request(ConformanceUpdateTenantSettingsDocument, { input: { tenant_id: DEFAULT_TENANT_ID, settings: { a: 1, b: { c: true } } } });
      await api.request(ConformanceUpdateTenantSettingsDocument, { input: { tenant_id: DEFAULT_TENANT_ID, settings: { b: 2 } } });
      expect((await api.request(ConformanceTenantsDocument, {})).tenant[0]?.settings).toEqual({ a: 1, b: 2 });
      expect(errorsOf(await api.send(ConformanceUpdateTenantSettingsDocument, { input: { tenant_id: UNKNOWN, settings: { a: 2 } } }))).toEqual([
        'NOT_FOUND: Invalid tenant id.',
      ]);
    });
  });

  describe.skipIf(backend.skip)('projects', () => {
    it('create_project: a second project of the same name is a uniqueness violation; another tenant is refused', async () => {
      const name = `p-${randomUUID()}`;
      const id = await createProject(name);
      expect((await api.request(ConformanceProjectDocument, { id })).project_by_pk).toMatchObject({ id, name, description: null, tenant: { slug: 'default' } });
      expect(errorsOf(await api.send(ConformanceCreateProjectDocument, { input: { tenant_id: DEFAULT_TENANT_ID, name } }))).toEqual([
        'BAD_USER_INPUT: Uniqueness violation.',
      ]);
      // The same name in another tenant is another project.
      expect(await createProject(name, other, OTHER_TENANT)).not.toBe(id);
      const refused = await api.send(ConformanceCreateProjectDocument, { input: { tenant_id: OTHER_TENANT, name: 'elsewhere' } });
      expect(errorsOf(refused)[0]).toMatch(/^FORBIDDEN: /);
    });

    it('set_project_name and set_project_description; an unknown project and a taken name are refused', async () => {
      const id = await createProject(`p-${randomUUID()}`);
      const name = `renamed-${randomUUID()}`;
      expect(await api.request(ConformanceSetProjectNameDocument, { input: { project_id: id, name } })).toEqual({ set_project_name: { id } });
      expect(await api.request(ConformanceSetProjectDescriptionDocument, { input: { project_id: id, description: 'the *ETL* flows' } })).toEqual({
        set_project_description: { id },
      });
      expect((await api.request(ConformanceProjectDocument, { id })).project_by_pk).toMatchObject({ name, description: 'the *ETL* flows' });
      const taken = await createProject(`p-${randomUUID()}`);
      expect(errorsOf(await api.send(ConformanceSetProjectNameDocument, { input: { project_id: taken, name } }))).toEqual([
        'BAD_USER_INPUT: Uniqueness violation.',
      ]);
      expect(errorsOf(await api.send(ConformanceSetProjectNameDocument, { input: { project_id: UNKNOWN, name: 'x' } }))).toEqual(['NOT_FOUND: Update failed']);
      expect(errorsOf(await other.send(ConformanceSetProjectDescriptionDocument, { input: { project_id: id, description: 'x' } }))).toEqual([
        'NOT_FOUND: Update failed',
      ]);
    });

    it('delete_project deletes its flows and their runs; an unknown project answers success false', async () => {
      const own = await createProject(`p-${randomUUID()}`);
      const data = await api.request(ConformanceCreateFlowDocument, { input: { project_id: own, serialized_flow: serializedFlow('doomed') } });
      const flowId = data.create_flow?.id ?? '';
      const runId = await scheduledRun(flowId, false);
      expect(await other.request(ConformanceDeleteProjectDocument, { input: { project_id: own } })).toEqual({
        delete_project: { success: false, error: null },
      });
      expect(await api.request(ConformanceDeleteProjectDocument, { input: { project_id: own } })).toEqual({ delete_project: { success: true, error: null } });
      expect(await runState(runId)).toBeUndefined();
      expect(events).toContainEqual(expect.objectContaining({ table: 'flow_run', operation: 'delete', ids: [runId] }));
      expect(await api.request(ConformanceDeleteProjectDocument, { input: { project_id: UNKNOWN } })).toEqual({
        delete_project: { success: false, error: null },
      });
    });
  });

  describe.skipIf(backend.skip)('flows', () => {
    it('create_flow stores tasks (retry delay in seconds, trigger, tags) and turns an existing schedule on', async () => {
      const id = await registerFlow({ schedule: INTERVAL_SCHEDULE });
      const registered = await flow(id);
      expect(registered.is_schedule_active).toBe(true);
      expect(registered.tasks.find((task) => task.slug === 'numbers-1')).toMatchObject({
        max_retries: 2,
        retry_delay: '00:01:30',
        tags: ['io'],
        trigger: 'prefect.triggers.all_successful',
        is_root_task: true,
      });
      // Required parameters no clock covers: the flow is registered, its schedule stays off.
      const needy = await registerFlow({ schedule: INTERVAL_SCHEDULE, parameters: [{ name: 'x', slug: 'x', required: true, default: null }] });
      expect((await flow(needy)).is_schedule_active).toBe(false);
      expect(errorsOf(await api.send(ConformanceSetScheduleActiveDocument, { input: { flow_id: needy } }))).toEqual([
        'BAD_USER_INPUT: Can not schedule a flow that has required parameters.',
      ]);
      const covered = await registerFlow({
        schedule: { ...INTERVAL_SCHEDULE, clocks: [{ type: 'IntervalClock', interval: 60_000_000, parameter_defaults: { x: 1 } }] },
        parameters: [{ name: 'x', slug: 'x', required: true }],
      });
      expect((await flow(covered)).is_schedule_active).toBe(true);
      const bad = await api.send(ConformanceCreateFlowDocument, { input: { project_id: projectId, serialized_flow: { tasks: [] } } });
      expect(errorsOf(bad)).toEqual(['BAD_USER_INPUT: Invalid serialized flow: name: a flow needs a name.']);
    });

    it('register_tasks and register_edges add to a flow; an unknown flow and an edge to an unknown task are refused', async () => {
      const id = await registerFlow({ tasks: [], edges: [] });
      const tasks = serializedFlow('x')['tasks'];
      expect(await api.request(ConformanceRegisterTasksDocument, { input: { flow_id: id, serialized_tasks: tasks ?? null } })).toEqual({
        register_tasks: { success: true },
      });
      // A second batch with a known slug keeps the first.
      await api.request(ConformanceRegisterTasksDocument, { input: { flow_id: id, serialized_tasks: [{ slug: 'add-1', name: 'renamed' }] } });
      const edges = [{ upstream_task: { slug: 'numbers-1' }, downstream_task: { slug: 'add-1' }, key: 'x', mapped: true }];
      expect(await api.request(ConformanceRegisterEdgesDocument, { input: { flow_id: id, serialized_edges: edges } })).toEqual({
        register_edges: { success: true },
      });
      expect(await api.request(ConformanceRegisterEdgesDocument, { input: { flow_id: id, serialized_edges: edges } })).toEqual({
        register_edges: { success: true },
      });
      const registered = await flow(id);
      expect(registered.tasks.map((task) => [task.slug, task.name, task.mapped, task.is_root_task, task.is_terminal_task, task.is_reference_task])).toEqual([
        ['add-1', 'add', true, false, true, true],
        ['numbers-1', 'numbers', false, true, false, false],
      ]);
      expect(registered.edges).toHaveLength(1);
      expect(errorsOf(await api.send(ConformanceRegisterTasksDocument, { input: { flow_id: UNKNOWN, serialized_tasks: [] } }))).toEqual([
        'NOT_FOUND: Invalid flow ID.',
      ]);
      expect(errorsOf(await other.send(ConformanceRegisterEdgesDocument, { input: { flow_id: id, serialized_edges: [] } }))).toEqual([
        'NOT_FOUND: Invalid flow ID.',
      ]);
      const dangling = await api.send(ConformanceRegisterEdgesDocument, {
        input: { flow_id: id, serialized_edges: [...edges, { upstream_task: 'add-1', downstream_task: 'nope-1' }] },
      });
      expect(errorsOf(dangling)).toEqual(['BAD_USER_INPUT: Edges could not be registered - some edges reference tasks that do not exist within this flow.']);
      expect((await flow(id)).edges).toHaveLength(1);
      expect(errorsOf(await api.send(ConformanceRegisterTasksDocument, { input: { flow_id: id, serialized_tasks: [{ name: 'no slug' }] } }))[0]).toMatch(
        /^BAD_USER_INPUT: Invalid serialized tasks: 0\.slug/,
      );
    });

    it('archive_flow deletes its auto-scheduled runs, cancels the ones scheduled by hand and refuses new runs', async () => {
      const id = await registerFlow();
      const auto = await scheduledRun(id, true);
      const manual = await scheduledRun(id, false);
      expect(await other.request(ConformanceArchiveFlowDocument, { input: { flow_id: id } })).toEqual({ archive_flow: { success: false } });
      expect(await api.request(ConformanceArchiveFlowDocument, { input: { flow_id: id } })).toEqual({ archive_flow: { success: true } });
      expect((await flow(id)).archived).toBe(true);
      expect(await runState(auto)).toBeUndefined();
      expect(await runState(manual)).toEqual({ state: 'Cancelled', state_message: `Flow ${id} was archived.` });
      expect(errorsOf(await api.send(CreateFlowRunDocument, { input: { flow_id: id } }))).toEqual([`BAD_USER_INPUT: Flow ${id} is archived.`]);
      expect(await api.request(ConformanceArchiveFlowDocument, { input: { flow_id: UNKNOWN } })).toEqual({ archive_flow: { success: false } });
    });

    it('delete_flow deletes the flow with its runs, tasks and edges; an unknown flow answers success false', async () => {
      const id = await registerFlow();
      const run = await scheduledRun(id, false);
      expect(await api.request(ConformanceDeleteFlowDocument, { input: { flow_id: id } })).toEqual({ delete_flow: { success: true } });
      expect(await runState(run)).toBeUndefined();
      const edges = await test.server.db.kysely.selectFrom('edge').select('id').where('flow_id', '=', id).execute();
      expect(edges).toEqual([]);
      expect(await api.request(ConformanceDeleteFlowDocument, { input: { flow_id: id } })).toEqual({ delete_flow: { success: false } });
    });

    it('update_flow_project moves a flow within the tenant only', async () => {
      const id = await registerFlow();
      const target = await createProject(`p-${randomUUID()}`);
      expect(await api.request(ConformanceUpdateFlowProjectDocument, { input: { flow_id: id, project_id: target } })).toEqual({ update_flow_project: { id } });
      expect((await flow(id)).project.id).toBe(target);
      const foreign = await createProject(`p-${randomUUID()}`, other, OTHER_TENANT);
      expect(errorsOf(await api.send(ConformanceUpdateFlowProjectDocument, { input: { flow_id: id, project_id: foreign } }))).toEqual([
        'NOT_FOUND: Invalid flow or project ID.',
      ]);
      expect((await flow(id)).project.id).toBe(target);
    });

    it('heartbeat and Lazarus switches change the flow group settings; an unknown flow is refused', async () => {
      const id = await registerFlow();
      const groupId = (await flow(id)).flow_group.id;
      await api.request(ConformanceDisableFlowHeartbeatDocument, { input: { flow_id: id } });
      await api.request(ConformanceDisableFlowLazarusProcessDocument, { input: { flow_id: id } });
      expect((await group(groupId)).settings).toMatchObject({
        heartbeat_enabled: false,
        disable_heartbeat: true,
        lazarus_enabled: false,
        version_locking_enabled: false,
      });
      expect(await api.request(ConformanceEnableFlowHeartbeatDocument, { input: { flow_id: id } })).toEqual({ enable_flow_heartbeat: { success: true } });
      expect(await api.request(ConformanceEnableFlowLazarusProcessDocument, { input: { flow_id: id } })).toEqual({
        enable_flow_lazarus_process: { success: true },
      });
      expect((await group(groupId)).settings).toMatchObject({ heartbeat_enabled: true, disable_heartbeat: false, lazarus_enabled: true });
      for (const document of [
        ConformanceEnableFlowHeartbeatDocument,
        ConformanceDisableFlowHeartbeatDocument,
        ConformanceEnableFlowLazarusProcessDocument,
        ConformanceDisableFlowLazarusProcessDocument,
      ]) {
        expect(errorsOf(await api.send(document as TypedDocumentNode<unknown, { input: { flow_id: string } }>, { input: { flow_id: UNKNOWN } }))).toEqual([
          'NOT_FOUND: Invalid flow ID.',
        ]);
      }
    });

    it('set_schedule_active and set_schedule_inactive: a flow without any schedule stays off; off deletes auto-scheduled runs', async () => {
      const plain = await registerFlow();
      expect(await api.request(ConformanceSetScheduleActiveDocument, { input: { flow_id: plain } })).toEqual({ set_schedule_active: { success: false } });
      const scheduled = await registerFlow({ schedule: INTERVAL_SCHEDULE }, { set_schedule_active: false });
      expect((await flow(scheduled)).is_schedule_active).toBe(false);
      expect(await api.request(ConformanceSetScheduleActiveDocument, { input: { flow_id: scheduled } })).toEqual({ set_schedule_active: { success: true } });
      expect((await flow(scheduled)).is_schedule_active).toBe(true);
      const auto = await scheduledRun(scheduled, true);
      const manual = await scheduledRun(scheduled, false);
      expect(await api.request(ConformanceSetScheduleInactiveDocument, { input: { flow_id: scheduled } })).toEqual({
        set_schedule_inactive: { success: true },
      });
      expect((await flow(scheduled)).is_schedule_active).toBe(false);
      expect(await runState(auto)).toBeUndefined();
      expect(await runState(manual)).toMatchObject({ state: 'Scheduled' });
      expect(await api.request(ConformanceSetScheduleInactiveDocument, { input: { flow_id: UNKNOWN } })).toEqual({ set_schedule_inactive: { success: false } });
      expect(await other.request(ConformanceSetScheduleActiveDocument, { input: { flow_id: scheduled } })).toEqual({ set_schedule_active: { success: false } });
    });
  });

  describe.skipIf(backend.skip)('flow groups', () => {
    it('set_flow_group_description, labels, run config and default parameters; an unknown group answers success false', async () => {
      const groupId = (await flow(await registerFlow())).flow_group.id;
      expect(await api.request(ConformanceSetFlowGroupDescriptionDocument, { input: { flow_group_id: groupId, description: '# ETL' } })).toEqual({
        set_flow_group_description: { success: true },
      });
      expect(await api.request(ConformanceSetFlowGroupLabelsDocument, { input: { flow_group_id: groupId, labels: ['k8s', 'prod', 'k8s'] } })).toEqual({
        set_flow_group_labels: { success: true },
      });
      await api.request(ConformanceSetFlowGroupRunConfigDocument, {
        input: { flow_group_id: groupId, run_config: { type: 'KubernetesRun', labels: ['k8s'] } },
      });
      await api.request(ConformanceSetFlowGroupDefaultParametersDocument, { input: { flow_group_id: groupId, parameters: { region: 'eu' } } });
      expect(await group(groupId)).toMatchObject({
        description: '# ETL',
        labels: ['k8s', 'prod'],
        run_config: { type: 'KubernetesRun' },
        default_parameters: { region: 'eu' },
      });
      await api.request(ConformanceSetFlowGroupLabelsDocument, { input: { flow_group_id: groupId, labels: null } });
      expect((await group(groupId)).labels).toBeNull();
      for (const [document, input] of [
        [ConformanceSetFlowGroupDescriptionDocument, { description: 'x' }],
        [ConformanceSetFlowGroupLabelsDocument, { labels: ['x'] }],
        [ConformanceSetFlowGroupRunConfigDocument, { run_config: {} }],
        [ConformanceSetFlowGroupDefaultParametersDocument, { parameters: {} }],
      ] as const) {
        const answer = await other.send(document as TypedDocumentNode<Record<string, { success: boolean | null } | null>, { input: Record<string, unknown> }>, {
          input: { flow_group_id: groupId, ...input },
        });
        expect(Object.values(answer.data ?? {})).toEqual([{ success: false }]);
      }
      const bad = await api.send(ConformanceSetFlowGroupDefaultParametersDocument, { input: { flow_group_id: groupId, parameters: ['not', 'an', 'object'] } });
      expect(errorsOf(bad)[0]).toMatch(/^BAD_USER_INPUT: Invalid input for set_flow_group_default_parameters: parameters: /);
      expect((await group(groupId)).default_parameters).toEqual({ region: 'eu' });
    });

    it('set_flow_group_schedule stores Prefect clocks and drops auto-scheduled runs; a bad cron or time zone is refused', async () => {
      const flowId = await registerFlow();
      const groupId = (await flow(flowId)).flow_group.id;
      const auto = await scheduledRun(flowId, true);
      const input = {
        flow_group_id: groupId,
        cron_clocks: [{ cron: '0 6 * * 1-5', parameter_defaults: { x: 1 } }],
        interval_clocks: [{ interval: 3600 }],
        timezone: 'Europe/Paris',
      };
      expect(await api.request(ConformanceSetFlowGroupScheduleDocument, { input })).toEqual({ set_flow_group_schedule: { success: true } });
      const startDate = { dt: '2024-02-29T13:00:00.123000', tz: 'Europe/Paris' };
      expect((await group(groupId)).schedule).toEqual({
        type: 'Schedule',
        clocks: [
          { type: 'CronClock', cron: '0 6 * * 1-5', parameter_defaults: { x: 1 }, start_date: startDate },
          { type: 'IntervalClock', interval: 3_600_000_000, start_date: startDate },
        ],
      });
      expect(await runState(auto)).toBeUndefined();
      expect(await api.request(ConformanceSetScheduleActiveDocument, { input: { flow_id: flowId } })).toEqual({ set_schedule_active: { success: true } });
      expect(
        errorsOf(await api.send(ConformanceSetFlowGroupScheduleDocument, { input: { flow_group_id: groupId, cron_clocks: [{ cron: 'every day' }] } }))[0],
      ).toMatch(/^BAD_USER_INPUT: Invalid clock provided for schedule: /);
      expect(
        errorsOf(
          await api.send(ConformanceSetFlowGroupScheduleDocument, {
            input: { flow_group_id: groupId, interval_clocks: [{ interval: 60 }], timezone: 'Mars/Olympus' },
          }),
        ),
      ).toEqual(['BAD_USER_INPUT: Invalid timezone provided for schedule: Mars/Olympus']);
      expect((await group(groupId)).schedule).toMatchObject({ clocks: [{ type: 'CronClock' }, { type: 'IntervalClock' }] });

      expect(await api.request(ConformanceDeleteFlowGroupScheduleDocument, { input: { flow_group_id: groupId } })).toEqual({
        delete_flow_group_schedule: { success: true },
      });
      expect((await group(groupId)).schedule).toBeNull();
      expect(await api.request(ConformanceDeleteFlowGroupScheduleDocument, { input: { flow_group_id: UNKNOWN } })).toEqual({
        delete_flow_group_schedule: { success: false },
      });
    });

    it('delete_flow_group deletes the group with its flows', async () => {
      const flowId = await registerFlow();
      const groupId = (await flow(flowId)).flow_group.id;
      expect(await other.request(ConformanceDeleteFlowGroupDocument, { input: { flow_group_id: groupId } })).toEqual({ delete_flow_group: { success: false } });
      expect(await api.request(ConformanceDeleteFlowGroupDocument, { input: { flow_group_id: groupId } })).toEqual({ delete_flow_group: { success: true } });
      expect((await api.request(ConformanceRegisteredFlowDocument, { id: flowId })).flow_by_pk).toBeNull();
    });
  });

  describe.skipIf(backend.skip)('read-only keys', () => {
    it('every management mutation is refused with FORBIDDEN and writes nothing', async () => {
      const flowId = await registerFlow();
      const groupId = (await flow(flowId)).flow_group.id;
      const flowInput = { input: { flow_id: flowId } };
      const groupInput = { input: { flow_group_id: groupId } };
      const calls: [TypedDocumentNode<unknown, never>, unknown][] = [
        [ConformanceCreateTenantDocument, { input: { name: 'ro', slug: 'ro' } }],
        [ConformanceUpdateTenantNameDocument, { input: { tenant_id: DEFAULT_TENANT_ID, name: 'ro' } }],
        [ConformanceUpdateTenantSlugDocument, { input: { tenant_id: DEFAULT_TENANT_ID, slug: 'ro' } }],
        [ConformanceUpdateTenantSettingsDocument, { input: { tenant_id: DEFAULT_TENANT_ID, settings: { ro: true } } }],
        [ConformanceCreateProjectDocument, { input: { tenant_id: DEFAULT_TENANT_ID, name: 'ro' } }],
        [ConformanceDeleteProjectDocument, { input: { project_id: projectId } }],
        [ConformanceSetProjectNameDocument, { input: { project_id: projectId, name: 'ro' } }],
        [ConformanceSetProjectDescriptionDocument, { input: { project_id: projectId, description: 'ro' } }],
        [ConformanceCreateFlowDocument, { input: { project_id: projectId, serialized_flow: serializedFlow('ro') } }],
        [ConformanceRegisterTasksDocument, { input: { flow_id: flowId, serialized_tasks: [{ slug: 'ro-1' }] } }],
        [ConformanceRegisterEdgesDocument, { input: { flow_id: flowId, serialized_edges: [] } }],
        [ConformanceDeleteFlowDocument, flowInput],
        [ConformanceArchiveFlowDocument, flowInput],
        [ConformanceUpdateFlowProjectDocument, { input: { flow_id: flowId, project_id: projectId } }],
        [ConformanceEnableFlowHeartbeatDocument, flowInput],
        [ConformanceDisableFlowHeartbeatDocument, flowInput],
        [ConformanceEnableFlowLazarusProcessDocument, flowInput],
        [ConformanceDisableFlowLazarusProcessDocument, flowInput],
        [ConformanceSetScheduleActiveDocument, flowInput],
        [ConformanceSetScheduleInactiveDocument, flowInput],
        [ConformanceDeleteFlowGroupDocument, groupInput],
        [ConformanceSetFlowGroupDescriptionDocument, { input: { flow_group_id: groupId, description: 'ro' } }],
        [ConformanceSetFlowGroupLabelsDocument, { input: { flow_group_id: groupId, labels: ['ro'] } }],
        [ConformanceSetFlowGroupRunConfigDocument, { input: { flow_group_id: groupId, run_config: {} } }],
        [ConformanceSetFlowGroupScheduleDocument, { input: { flow_group_id: groupId, interval_clocks: [{ interval: 60 }] } }],
        [ConformanceDeleteFlowGroupScheduleDocument, groupInput],
        [ConformanceSetFlowGroupDefaultParametersDocument, { input: { flow_group_id: groupId, parameters: { ro: 1 } } }],
      ];
      const before = events.length;
      for (const [document, variables] of calls) {
        const answer = await reader.send(document, variables as never);
        expect(errorsOf(answer), JSON.stringify(answer)).toEqual([expect.stringMatching(/^FORBIDDEN: this API key is read-only: /)]);
      }
      expect(events.length).toBe(before);
      const after = await flow(flowId);
      expect(after).toMatchObject({ archived: false, tasks: [{ slug: 'add-1' }, { slug: 'numbers-1' }] });
      expect(await group(groupId)).toMatchObject({ description: null, labels: null, schedule: null, default_parameters: {} });
    });
  });
});
