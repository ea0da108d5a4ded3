/**
 * Registration as Prefect Core 1.4.1 does it, on the wire: the recorded bodies of `prefect
 * register` and `flow.register()` (exact bytes, string `variables`, Prefect's paths), and the
 * scripted success-path sequences `client_methods`, `client_register` and `cli_register`.
 * Each answer is checked for what Prefect reads from it; then the stored flow, its tasks and
 * edges are read back through the Hasura fields the UI's schematics use.
 */
import { print } from 'graphql';
import {
  ConformanceCreateFlowDocument,
  ConformanceFlowVersionsDocument,
  ConformanceRegisteredFlowDocument,
  ConformanceTenantsDocument,
  type ConformanceRegisteredFlowQuery,
} from '@runview/documents/conformance';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID, DEMO } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { IdMap, pathOf, prefectSequence, requestsBody, type SequenceStep } from './support/prefect-sequences.js';
import { exchange, prefectCoreRequests, useWireServer, type RecordedRequest, type WireAnswer } from './support/wire.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The tenant and project ids Prefect's scripted sequences use. */
const SCRIPTED_TENANT = '11111111-1111-4111-8111-111111111111';
const SCRIPTED_FLOW = '33333333-3333-4333-8333-333333333333';

type RegisteredFlow = NonNullable<ConformanceRegisteredFlowQuery['flow_by_pk']>;

interface Answer {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { readonly message: string; readonly extensions?: { readonly code?: string } }[];
}

function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new TypeError(`no step ${String(index)} in the sequence`);
  return item;
}

function recorded(n: number): RecordedRequest {
  const request = prefectCoreRequests().find((entry) => entry.n === n);
  if (request === undefined) throw new TypeError(`no recorded request ${String(n)}`);
  return request;
}

function inputOf(request: RecordedRequest): Record<string, unknown> {
  const body = JSON.parse(request.body) as { variables: string };
  return (JSON.parse(body.variables) as { input: Record<string, unknown> }).input;
}

describe.each(BACKENDS)('registration on the wire on $name', (backend) => {
  if (backend.skip) {
    it.skip('needs RUNVIEW_TEST_DATABASE_URL', () => undefined);
    return;
  }
  const wire = useWireServer(backend, { seed: 'demo' });

  async function send(path: string, body: string, headers: Readonly<Record<string, string>> = {}): Promise<Answer> {
    // The recorded headers as sent (their `Content-Type` included), else JSON's.
    const sent = new Headers(headers);
    if (!sent.has('content-type')) sent.set('content-type', 'application/json');
    const answer: WireAnswer = await exchange(`${wire.origin}${path}`, { method: 'POST', headers: sent, body });
    expect(answer.status, answer.text).toBe(200);
    return answer.json as Answer;
  }

  /** Sends a recorded request exactly as Prefect Core did and returns the data of its root field. */
  async function replay(n: number): Promise<unknown> {
    const request = recorded(n);
    const answer = await send(request.path, request.body, request.headers);
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return Object.values(answer.data ?? {})[0];
  }

  /** Sends one step of a scripted sequence, its ids mapped, and learns the ids of the answer. */
  async function step(ids: IdMap, entry: SequenceStep): Promise<Answer> {
    const answer = await send(pathOf(entry.url), ids.apply(requestsBody(entry.json_body)), entry.headers);
    if (answer.errors === undefined) ids.learn(entry.answer_given, answer);
    return answer;
  }

  function dataOf(answer: Answer, field: string): unknown {
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data?.[field];
  }

  async function graphql(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
    return send('/graphql', JSON.stringify({ query, variables }), headers);
  }

  async function registeredFlow(id: string): Promise<RegisteredFlow> {
    const flow = dataOf(await graphql(print(ConformanceRegisteredFlowDocument), { id }), 'flow_by_pk') as RegisteredFlow | null;
    if (flow === null) throw new TypeError(`flow ${id} was not found`);
    return flow;
  }

  it('prefect register -p: the recorded project and version lookups, then the compressed flow with tasks and edges', async () => {
    expect(await replay(134)).toEqual([{ id: DEMO.projectId }]);
    expect(await replay(135)).toEqual([]); // R01: no version yet, so this registration is version 1
    const created = (await replay(136)) as { id: string };
    expect(created.id).toMatch(UUID);
    // The same metadata again (same idempotency key): the same id, "Skipped (metadata unchanged)".
    expect(await replay(136)).toEqual({ id: created.id });
    expect(await replay(135)).toEqual([{ id: created.id, version: 1 }]);

    const flow = await registeredFlow(created.id);
    const input = inputOf(recorded(136));
    expect(flow).toMatchObject({
      name: 'corpus-script-flow',
      version: 1,
      archived: false,
      core_version: '1.4.1',
      description: null,
      project: { id: DEMO.projectId, name: 'default' },
    });
    expect(flow.version_group_id).toMatch(UUID);
    expect(flow.flow_group).toMatchObject({
      name: flow.version_group_id,
      settings: { heartbeat_enabled: true, lazarus_enabled: true, version_locking_enabled: false, idempotency_key: input['idempotency_key'] },
    });
    expect(flow.is_schedule_active).toBe(false); // no schedule: set_schedule_active has nothing to turn on
    expect(flow.storage).toMatchObject({ type: 'Local', stored_as_script: true });
    expect(flow.tenant).toEqual({ slug: 'default' });
    expect(flow.tasks.map((task) => [task.slug, task.is_root_task, task.is_terminal_task, task.is_reference_task, task.mapped])).toEqual([
      ['double-1', false, false, false, true],
      ['numbers-1', true, false, false, false],
      ['total-1', false, true, true, false],
    ]);
    expect(flow.tasks[0]).toMatchObject({
      name: 'double',
      type: 'prefect.tasks.core.function.FunctionTask',
      max_retries: 0,
      retry_delay: null,
      trigger: 'prefect.triggers.all_successful',
      tags: [],
      auto_generated: false,
      cache_key: null,
    });
    const bySlug = new Map(flow.tasks.map((task) => [task.slug, task]));
    expect(bySlug.get('double-1')?.upstream_edges).toEqual([{ key: 'x', mapped: true, upstream_task: { slug: 'numbers-1' } }]);
    expect(bySlug.get('numbers-1')?.downstream_edges).toEqual([{ key: 'x', downstream_task: { slug: 'double-1' } }]);
    expect(flow.edges.map((edge) => [edge.upstream_task.slug, edge.key, edge.downstream_task.slug, edge.mapped, edge.tenant_id])).toEqual([
      ['numbers-1', 'x', 'double-1', true, DEFAULT_TENANT_ID],
      ['double-1', 'xs', 'total-1', false, DEFAULT_TENANT_ID],
    ]);
  });

  it('the end-to-end and module registrations: a repeated idempotency key answers the registered flow, flow.register() adds a version', async () => {
    const first = (await replay(108)) as { id: string };
    expect(await replay(111)).toEqual([{ version: 1, id: first.id }]);
    // The same flow sent again with the same key: "Skipped (metadata unchanged)", nothing written.
    expect(await replay(112)).toEqual({ id: first.id });
    expect(await replay(116)).toEqual({ id: first.id });
    const failing = (await replay(119)) as { id: string };
    expect((await registeredFlow(failing.id)).version).toBe(1);

    const moduleFlow = (await replay(139)) as { id: string };
    const registered = await registeredFlow(moduleFlow.id);
    expect(registered.storage).toMatchObject({ type: 'Module' });
    expect(registered.tasks.map((task) => [task.slug, task.is_root_task, task.is_terminal_task, task.is_reference_task])).toEqual([
      ['hello-1', true, true, true],
    ]);
    // flow.register() without a version group: the newest flow of that name in the project gives it.
    const next = (await replay(142)) as { id: string };
    const versions = dataOf(await graphql(print(ConformanceFlowVersionsDocument), { versionGroupId: registered.version_group_id }), 'flow') as {
      id: string;
      version: number;
      archived: boolean;
    }[];
    expect(versions.map((flow) => [flow.id, flow.version, flow.archived])).toEqual([
      [moduleFlow.id, 1, true],
      [next.id, 2, false],
    ]);
    expect((await registeredFlow(next.id)).tasks).toEqual([]); // its tasks come with register_tasks
  });

  it('client_methods: the tenant lookups, create_tenant, and a project created, found and deleted', async () => {
    const steps = prefectSequence('client_methods');
    const ids = new IdMap();
    const tenantIds = dataOf(await step(ids, at(steps, 0)), 'tenant') as { id: string }[];
    expect(tenantIds).toEqual([{ id: DEFAULT_TENANT_ID }]); // Client.tenant_id reads tenant[0].id
    expect(ids.get(SCRIPTED_TENANT)).toBe(DEFAULT_TENANT_ID);
    expect(dataOf(await step(ids, at(steps, 1)), 'tenant')).toEqual([{ id: DEFAULT_TENANT_ID, slug: 'default' }]);
    expect(dataOf(await step(ids, at(steps, 3)), 'tenant')).toEqual([{ id: DEFAULT_TENANT_ID, slug: 'default', name: 'default' }]);
    // `prefect server start` creates "default" only when there is no tenant; the slug is taken.
    const duplicate = await step(ids, at(steps, 4));
    expect(duplicate.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['Uniqueness violation.', 'BAD_USER_INPUT']]);
    expect(duplicate.data).toEqual({ create_tenant: null });

    const project = dataOf(await step(ids, at(steps, 5)), 'create_project') as { id: string };
    expect(project.id).toMatch(UUID);
    // Client.create_project falls back to the lookup when it reads "Uniqueness violation.".
    const again = await step(ids, at(steps, 5));
    expect(again.errors?.[0]?.message).toBe('Uniqueness violation.');
    expect(dataOf(await step(ids, at(steps, 6)), 'project')).toEqual([{ id: project.id }]);
    expect(dataOf(await step(ids, at(steps, 7)), 'delete_project')).toEqual({ success: true });
    expect(dataOf(await step(ids, at(steps, 8)), 'project')).toEqual([]);
    expect(dataOf(await step(ids, at(steps, 7)), 'delete_project')).toEqual({ success: false });
  });

  it('create_flow, client_register and cli_register: one flow registered three times, then skipped', async () => {
    const methods = prefectSequence('client_methods');
    const ids = new IdMap();
    await step(ids, at(methods, 0));
    const project = dataOf(await step(ids, at(methods, 5)), 'create_project') as { id: string };

    // Client.register(compressed=False): create_flow without tasks, then register_tasks and register_edges.
    const v1 = dataOf(await step(ids, at(methods, 9)), 'create_flow') as { id: string };
    expect(ids.get(SCRIPTED_FLOW)).toBe(v1.id);
    expect(dataOf(await step(ids, at(methods, 10)), 'register_tasks')).toEqual({ success: true });
    expect(dataOf(await step(ids, at(methods, 11)), 'register_edges')).toEqual({ success: true });
    const first = await registeredFlow(v1.id);
    expect(first.tasks.map((task) => task.slug)).toEqual(['add_one-1', 'numbers-1', 'report-1']);
    expect(first.edges).toHaveLength(2);
    expect((first.serialized_flow as { tasks: { slug: string }[] }).tasks.map((task) => task.slug)).toEqual(['add_one-1', 'numbers-1', 'report-1']);
    expect(first.tasks.map((task) => [task.slug, task.is_root_task, task.is_terminal_task, task.is_reference_task, task.mapped])).toEqual([
      ['add_one-1', false, false, false, true],
      ['numbers-1', true, false, false, false],
      ['report-1', false, true, true, false],
    ]);

    // flow.register(): the same eight requests Prefect sends, the new version's id mapped in.
    const register = prefectSequence('client_register');
    const registerIds = new IdMap({ [SCRIPTED_TENANT]: DEFAULT_TENANT_ID });
    expect(dataOf(await step(registerIds, at(register, 0)), 'project')).toEqual([{ id: project.id }]);
    const v2 = dataOf(await step(registerIds, at(register, 1)), 'create_flow_from_compressed_string') as { id: string };
    expect(v2.id).not.toBe(v1.id);
    expect(registerIds.get(SCRIPTED_FLOW)).toBe(v2.id);
    expect(dataOf(await step(registerIds, at(register, 2)), 'register_tasks')).toEqual({ success: true });
    expect(dataOf(await step(registerIds, at(register, 3)), 'register_edges')).toEqual({ success: true });
    // No schedule anywhere: Prefect Server answers false and leaves the schedule off.
    expect(dataOf(await step(registerIds, at(register, 4)), 'set_schedule_active')).toEqual({ success: false });
    const byPk = dataOf(await step(registerIds, at(register, 5)), 'flow_by_pk') as { flow_group_id: string };
    expect(byPk.flow_group_id).toBe(first.flow_group.id);
    expect(dataOf(await step(registerIds, at(register, 6)), 'tenant')).toEqual([{ id: DEFAULT_TENANT_ID, slug: 'default' }]);
    expect(dataOf(await step(registerIds, at(register, 7)), 'tenant')).toEqual([{ id: DEFAULT_TENANT_ID }]);
    const second = await registeredFlow(v2.id);
    expect(second).toMatchObject({ version: 2, version_group_id: first.version_group_id, archived: false });
    expect(second.tasks).toHaveLength(3);
    expect((await registeredFlow(v1.id)).archived).toBe(true);

    // prefect register: R01 finds version 2; C08 carries the whole flow and an idempotency key.
    const cli = prefectSequence('cli_register');
    const cliIds = new IdMap({ [SCRIPTED_TENANT]: DEFAULT_TENANT_ID });
    expect(dataOf(await step(cliIds, at(cli, 0)), 'project')).toEqual([{ id: project.id }]);
    expect(dataOf(await step(cliIds, at(cli, 1)), 'flow')).toEqual([{ id: v2.id, version: 2 }]);
    const v3 = dataOf(await step(cliIds, at(cli, 2)), 'create_flow_from_compressed_string') as { id: string };
    expect(v3.id).not.toBe(v2.id); // "Done": version 2 + 1
    const skipped = dataOf(await step(cliIds, at(cli, 2)), 'create_flow_from_compressed_string') as { id: string };
    expect(skipped.id).toBe(v3.id); // "Skipped (metadata unchanged)"
    expect(dataOf(await step(cliIds, at(cli, 1)), 'flow')).toEqual([{ id: v3.id, version: 3 }]);
    const third = await registeredFlow(v3.id);
    expect(third).toMatchObject({
      version: 3,
      archived: false,
      run_config: { type: 'LocalRun', labels: ['e2e'] },
      storage: { type: 'Module', module: 'seq_flows' },
    });
    expect(third.edges.map((edge) => [edge.upstream_task.slug, edge.downstream_task.slug])).toEqual([
      ['add_one-1', 'report-1'],
      ['numbers-1', 'add_one-1'],
    ]);
    expect((await registeredFlow(v2.id)).archived).toBe(true);
  });

  it('prefect server create-tenant: a new tenant, served to callers that name it', async () => {
    const created = (await replay(434)) as { id: string };
    expect(created.id).toMatch(UUID);
    const own = dataOf(await graphql(print(ConformanceTenantsDocument), {}, { 'X-PREFECT-TENANT-ID': created.id }), 'tenant');
    expect(own).toMatchObject([
      { id: created.id, name: 'corpus', slug: 'corpus', info: null, settings: {}, projects: [], flows_aggregate: { aggregate: { count: 0 } } },
    ]);
    // Each caller sees its own tenant only: the default one is not listed for this tenant.
    const defaults = dataOf(await graphql(print(ConformanceTenantsDocument), {}), 'tenant') as { id: string; projects: { name: string }[] }[];
    expect(defaults.map((tenant) => tenant.id)).toEqual([DEFAULT_TENANT_ID]);
    expect(defaults[0]?.projects.map((project) => project.name)).toContain('default');
    const answer = await send('/graphql', recorded(434).body);
    expect(answer.errors?.map((error) => error.message)).toEqual(['Uniqueness violation.']);
  });

  it('refuses a compressed flow that does not decode, an unknown project and edges to unknown tasks, writing nothing', async () => {
    const counts = async (): Promise<number[]> =>
      Promise.all(
        (['flow', 'flow_group', 'task', 'edge'] as const).map(async (table) => {
          const row = await wire.server.db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow();
          return Number(row.n);
        }),
      );
    const before = await counts();
    const request = recorded(136);
    const input = inputOf(request);
    const mutation = (JSON.parse(request.body) as { query: string }).query;
    const attempt = async (changes: Record<string, unknown>): Promise<Answer> =>
      send('/', JSON.stringify({ query: mutation, variables: JSON.stringify({ input: { ...input, ...changes } }) }));

    const garbled = await attempt({ serialized_flow: 'H4sIAAoJDmsC/+VWTW/bMAz9K4XOi7MAO' });
    expect(garbled.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['Unable to decompress serialized flow', 'BAD_USER_INPUT']]);
    expect(garbled.data).toEqual({ create_flow_from_compressed_string: null });
    const notBase64 = await attempt({ serialized_flow: '{"name": "plain json"}' });
    expect(notBase64.errors?.[0]?.message).toBe('Unable to decompress serialized flow');

    const unknownProject = await attempt({ project_id: '0b9f3c55-8c1e-4a55-9d0e-4f5f8f1f2a11', idempotency_key: 'other' });
    expect(unknownProject.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['Invalid project.', 'NOT_FOUND']]);

    const flowJson = {
      name: 'dangling',
      tasks: [{ slug: 'a-1' }],
      edges: [{ upstream_task: { slug: 'a-1' }, downstream_task: { slug: 'missing-1' } }],
      __version__: '1.4.1',
    };
    const dangling = await send(
      '/',
      JSON.stringify({
        query: print(ConformanceCreateFlowDocument),
        variables: JSON.stringify({ input: { project_id: DEMO.projectId, serialized_flow: flowJson } }),
      }),
    );
    expect(dangling.errors?.[0]?.message).toBe('Edges could not be registered - some edges reference tasks that do not exist within this flow.');

    const old = await send(
      '/',
      JSON.stringify({
        query: print(ConformanceCreateFlowDocument),
        variables: JSON.stringify({ input: { project_id: DEMO.projectId, serialized_flow: { name: 'old', __version__: '0.5.5' } } }),
      }),
    );
    expect(old.errors?.[0]?.message).toBe('Prefect backends require new flows to be built with Prefect 0.6.1+, but this flow was built with Prefect 0.5.5.');
    expect(await counts()).toEqual(before);
  });
});
