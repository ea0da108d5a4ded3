// Prefect Core 1.4.1's run-time Client calls, replayed from the bodies recorded on the wire
// (the Client methods a runner uses, then the flow-run tasks, artifacts and an agent), on the
// demo data: each body is sent byte for byte, with the ids of runs created during the recording
// swapped for the ones this server created, and each answer checked as Prefect reads it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID } from '../src/index.js';
import { DEMO } from '../src/seed/index.js';
import { BACKENDS } from './mutations-harness.js';
import { IdMap, loadRequests, postWire, type RecordedRequest } from './support/prefect-wire.js';
import { useTestServer } from './support/server.js';

const NOW = new Date('2026-11-30T23:40:00.000Z');

// What the recording's server answered with where later requests use it: the run created by
// request n, the task run created by request n.
const CREATED = new Map<number, string>([
  [79, 'd6ce0c4f-4725-4e73-8ed1-98b0b2f23fd7'],
  [83, '8e278f0a-e112-4b74-8bad-3bd445344bc9'],
  [413, 'a7651945-a013-4d58-a8cb-f835ff3fbe73'],
  [429, 'd5f1b16e-0881-4f3a-b46d-cdbb1f2566bb'],
]);

type Data = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id a create or get-or-create answered with. */
function createdId(data: Data): string {
  const [payload] = Object.values(data) as ({ id?: unknown } | null)[];
  if (typeof payload?.id !== 'string') throw new TypeError(`no id in ${JSON.stringify(data)}`);
  return payload.id;
}

/** What Prefect reads from each answer, by request number (requests not listed: no errors is enough). */
function expectations(ids: IdMap): ReadonlyMap<number, () => unknown> {
  const created = (n: number): string => ids.get(CREATED.get(n) ?? '');
  const success = (field: string, value = true): unknown => ({ [field]: { success: value } });
  const states = (field: string, n: number): unknown => ({ [field]: { states: [{ status: 'SUCCESS', message: null, id: created(n) }] } });
  const anId: unknown = expect.stringMatching(UUID);
  const state = (type: string, message?: string): unknown => expect.objectContaining(message === undefined ? { type } : { type, message });
  return new Map<number, () => unknown>([
    [79, () => ({ create_flow_run: { id: anId } })],
    [81, () => states('set_flow_run_states', 79)],
    [82, () => ({ flow_run_by_pk: { serialized_state: state('Running', 'rc running') } })],
    [83, () => ({ get_or_create_task_run_info: { id: anId, version: 1, serialized_state: state('Pending', 'Task run created') } })],
    [84, () => states('set_task_run_states', 83)],
    [85, () => states('set_task_run_states', 83)],
    [
      86,
      () => ({
        task_run: [
          {
            id: created(83),
            name: null,
            task: { id: DEMO.helloWorld.taskIds['say_hello-1'], slug: 'say_hello-1' },
            map_index: -1,
            serialized_state: state('Success', 'task ok'),
            flow_run_id: created(79),
          },
        ],
      }),
    ],
    [87, () => ({ get_task_run_info: { serialized_state: state('Success', 'task ok') } })],
    [88, () => success('write_run_logs')],
    [91, () => success('update_flow_run_heartbeat')],
    [92, () => success('set_flow_run_name')],
    [93, () => success('set_task_run_name')],
    [94, () => ({ task_run: [] })],
    [413, () => ({ create_flow_run: { id: anId } })],
    [414, () => success('set_flow_run_name')],
    [415, () => ({ cancel_flow_run: { state: 'Cancelled' } })],
    [416, () => ({ create_task_run_artifact: { id: anId } })],
    [417, () => ({ create_task_run_artifact: { id: anId } })],
    // The recording updated and deleted an artifact id that never existed.
    [418, () => success('update_task_run_artifact', false)],
    [419, () => success('delete_task_run_artifact', false)],
    [423, () => ({ agent_config: [] })],
    [424, () => success('write_run_logs')],
    [425, () => success('write_run_logs')],
    [426, () => ({ register_agent: { id: anId } })],
    [427, () => ({ hello: '👋' })],
    // Nothing labelled for this agent yet: the run it deploys is created next.
    [428, () => ({ get_runs_in_queue: { flow_run_ids: [] } })],
    [431, () => states('set_flow_run_states', 429)],
    [432, () => success('write_run_logs')],
    [433, () => states('set_flow_run_states', 429)],
    [435, () => success('update_flow_run_heartbeat')],
  ]);
}

async function replayRequest(server: Parameters<typeof postWire>[0], ids: IdMap, request: RecordedRequest): Promise<Data> {
  const answer = await postWire(server, request.path, request.headers, ids.apply(request.body));
  expect(answer.body.errors, `request ${String(request.n)} (${request.sent_by})`).toBeUndefined();
  expect(answer.status).toBe(200);
  return answer.body.data ?? {};
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`Prefect Core 1.4.1's run-time requests, replayed (${backend.name})`, () => {
    const t = useTestServer(backend, () => Promise.resolve(undefined), { seed: 'demo', now: () => NOW });

    it('answers every recorded request as Prefect reads it', async () => {
      const ids = new IdMap();
      const checks = expectations(ids);
      // Tenants and registration belong to other tests; everything else of these two runs is replayed.
      const requests = [
        ...loadRequests(79, 94),
        ...loadRequests(411, 433).filter((request) => ![412, 420, 422].includes(request.n)),
        ...loadRequests(435, 435),
      ];
      expect(requests.length).toBeGreaterThan(35);
      let queuePoll: RecordedRequest | undefined;
      for (const request of requests) {
        const data = await replayRequest(t.server, ids, request);
        const recordedId = CREATED.get(request.n);
        if (recordedId !== undefined) ids.set(recordedId, createdId(data));
        // Built after this answer's ids are learned.
        const expected = checks.get(request.n);
        if (expected !== undefined) expect(data, `request ${String(request.n)}`).toEqual(expected());
        if (request.n === 430) {
          const [run] = (data['flow_run'] ?? []) as { id: string; version: number; state: string; task_runs: unknown[] }[];
          expect(run).toMatchObject({ id: ids.get(CREATED.get(429) ?? ''), version: 1, state: 'Scheduled', task_runs: [] });
        }
        if (request.n === 428) queuePoll = request;
        // The agent's poll, sent again once the labelled run exists, finds it.
        if (request.n === 429 && queuePoll !== undefined) {
          expect(await replayRequest(t.server, ids, queuePoll)).toEqual({ get_runs_in_queue: { flow_run_ids: [ids.get(CREATED.get(429) ?? '')] } });
        }
      }
      const k = t.server.db.kysely;
      const renamed = await k
        .selectFrom('flow_run')
        .select(['name', 'state'])
        .where('id', '=', ids.get(CREATED.get(79) ?? ''))
        .executeTakeFirstOrThrow();
      expect(renamed).toEqual({ name: 'rc-renamed', state: 'Running' });
      const taskRun = await k
        .selectFrom('task_run')
        .select(['name', 'state'])
        .where('id', '=', ids.get(CREATED.get(83) ?? ''))
        .executeTakeFirstOrThrow();
      expect(taskRun).toEqual({ name: 'rc-task', state: 'Success' });
      const artifacts = await k
        .selectFrom('task_run_artifact')
        .select(['kind', 'data', 'tenant_id'])
        .where('task_run_id', '=', DEMO.taskRuns['say_hello-1'])
        .orderBy('kind')
        .execute();
      expect(artifacts).toEqual([
        { kind: 'link', data: { link: '/default/flow-run/x' }, tenant_id: DEFAULT_TENANT_ID },
        { kind: 'markdown', data: { markdown: '# corpus' }, tenant_id: DEFAULT_TENANT_ID },
      ]);
      const agent = await k.selectFrom('agent').select(['name', 'labels', 'core_version']).where('name', '=', 'corpus-agent').execute();
      expect(agent).toEqual([{ name: 'corpus-agent', labels: ['corpus'], core_version: '1.4.1' }]);
      const deployed = await k
        .selectFrom('flow_run')
        .select(['state', 'labels', 'heartbeat'])
        .where('id', '=', ids.get(CREATED.get(429) ?? ''))
        .executeTakeFirstOrThrow();
      expect(deployed).toMatchObject({ state: 'Failed', labels: ['corpus'] });
      expect(deployed.heartbeat?.toISOString()).toBe(NOW.toISOString());
    });
  });
}
