// The agent's side of Prefect Server: registering (and finding itself again), agent configs,
// the queue it polls with Prefect Server's rules (state, start time, labels, batch limit), the
// 30-second submission lock, and the bookkeeping of `X-PREFECT-AGENT-ID`.
import { randomUUID } from 'node:crypto';
import { SetFlowRunStatesDocument } from '@runview/documents/testing';
import {
  ConformanceRuntimeAgentConfigsDocument,
  ConformanceRuntimeAgentsDocument,
  ConformanceRuntimeCreateAgentConfigDocument,
  ConformanceRuntimeDeleteAgentConfigDocument,
  ConformanceRuntimeDeleteAgentDocument,
  ConformanceRuntimeFlowRunDocument,
  ConformanceRuntimeRegisterAgentDocument,
  ConformanceRuntimeRunsInQueueDocument,
  ConformanceRuntimeUpdateAgentConfigDocument,
} from '@runview/documents/conformance';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './mutations-harness.js';
import { newTenant, TestClock, type TestTenant } from './support/runtime-tenant.js';
import { useTestServer } from './support/server.js';

const START = '2030-06-01T12:00:00.000Z';
const PAST = '2030-06-01T11:00:00+00:00';
const FUTURE = '2030-06-01T13:00:00+00:00';

function errorsOf(answer: { errors?: readonly { message: string; extensions?: { code?: string } }[] }): string[] {
  return (answer.errors ?? []).map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`);
}

async function queue(tenant: TestTenant, labels: string[], options: { before?: string; agentId?: string } = {}): Promise<string[]> {
  const data = await tenant.query(
    ConformanceRuntimeRunsInQueueDocument,
    { input: { tenant_id: tenant.tenantId, labels, ...(options.before === undefined ? {} : { before: options.before }) } },
    options.agentId === undefined ? {} : { 'x-prefect-agent-id': options.agentId },
  );
  return data.get_runs_in_queue?.flow_run_ids ?? [];
}

async function registerAgent(tenant: TestTenant, input: Record<string, unknown>, coreVersion = '1.4.1'): Promise<string> {
  const data = await tenant.query(
    ConformanceRuntimeRegisterAgentDocument,
    { input: { type: 'LocalAgent', ...input } },
    { 'x-prefect-core-version': coreVersion },
  );
  const id = data.register_agent?.id;
  if (id === undefined || id === null) throw new TypeError('register_agent returned no id');
  return id;
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`agents and the run queue (${backend.name})`, () => {
    const clock = new TestClock(START);
    const t = useTestServer(backend, () => Promise.resolve(undefined), { now: clock.now });

    it('queues runs whose scheduled start has come, earliest first, and running runs with a retry due', async () => {
      const tenant = await newTenant(t.server);
      const later = await tenant.createRun({ scheduled_start_time: '2030-06-01T11:30:00+00:00', labels: [] });
      const earlier = await tenant.createRun({ scheduled_start_time: PAST, labels: [] });
      const future = await tenant.createRun({ scheduled_start_time: FUTURE, labels: [] });
      const submitted = await tenant.createRun({ scheduled_start_time: PAST, labels: [] });
      await tenant.setFlowRunState(submitted, { type: 'Submitted', message: 'taken' });
      const retrying = await tenant.createRun({ scheduled_start_time: FUTURE, labels: [] });
      await tenant.setFlowRunState(retrying, { type: 'Running' });
      const taskRun = await t.server.db.kysely.selectFrom('task_run').select('id').where('flow_run_id', '=', retrying).executeTakeFirstOrThrow();
      await tenant.setTaskRunState(taskRun.id, { type: 'Retrying', start_time: '2030-06-01T11:59:00+00:00', run_count: 1 });
      // A Running run without a retry due stays out.
      const running = await tenant.createRun({ labels: [] });
      await tenant.setFlowRunState(running, { type: 'Running' });

      // A Running run has no state start time: it sorts last, as Hasura sorts nulls.
      expect(await queue(tenant, [])).toEqual([earlier, later, retrying]);
      expect(await queue(tenant, [], { before: '2030-06-01T11:15:00+00:00' })).toEqual([earlier]);
      expect(await queue(tenant, [], { before: '2030-06-01T13:00:00.000001+00:00' })).toEqual([earlier, later, future, retrying]);
    });

    it("matches labels as Prefect Server does: run labels within the agent's, no unlabelled run for a labelled agent", async () => {
      const tenant = await newTenant(t.server);
      const prod = await tenant.createRun({ scheduled_start_time: PAST, labels: ['prod'] });
      const prodK8s = await tenant.createRun({ scheduled_start_time: PAST, labels: ['k8s', 'prod'] });
      const unlabelled = await tenant.createRun({ scheduled_start_time: PAST, labels: [] });
      expect(await queue(tenant, [])).toEqual([unlabelled]);
      expect(await queue(tenant, ['prod'])).toEqual([prod]);
      expect((await queue(tenant, ['prod', 'k8s', 'gpu'])).sort()).toEqual([prod, prodK8s].sort());
      expect(await queue(tenant, ['k8s'])).toEqual([]);
    });

    it('answers at most 25 runs per poll, the earliest', async () => {
      const tenant = await newTenant(t.server);
      const runs: string[] = [];
      for (let minute = 0; minute < 30; minute += 1) {
        runs.push(await tenant.createRun({ scheduled_start_time: `2030-06-01T10:${String(minute).padStart(2, '0')}:00+00:00`, labels: ['batch'] }));
      }
      expect(await queue(tenant, ['batch'])).toEqual(runs.slice(0, 25));
    });

    it('registers an agent once per name, type, core version and labels, and records its polls', async () => {
      const tenant = await newTenant(t.server);
      const id = await registerAgent(tenant, { name: 'local', labels: ['b', 'a'], tenant_id: tenant.tenantId });
      expect(await registerAgent(tenant, { name: 'local', labels: ['a', 'b'] })).toBe(id);
      // Without a name, Prefect Server's `_eq: null` matches any name.
      expect(await registerAgent(tenant, { labels: ['a', 'b'] })).toBe(id);
      const other = await registerAgent(tenant, { name: 'local', labels: ['a'] });
      expect(other).not.toBe(id);
      expect(await registerAgent(tenant, { name: 'local', labels: ['a', 'b'] }, '1.4.0')).not.toBe(id);
      await queue(tenant, ['a', 'b'], { agentId: id });
      // A header that is no uuid, or names no agent of the tenant, is ignored.
      await queue(tenant, [], { agentId: 'not-a-uuid' });
      await queue(tenant, [], { agentId: randomUUID() });
      const agents = (await tenant.query(ConformanceRuntimeAgentsDocument, { where: { id: { _in: [id, other] } } })).agent;
      expect(agents.map((agent) => [agent.id, agent.name, agent.labels, agent.core_version, agent.last_queried])).toEqual([
        [id, 'local', ['a', 'b'], '1.4.1', '2030-06-01T12:00:00+00:00'],
        [other, 'local', ['a'], '1.4.1', null],
      ]);
      expect((await tenant.query(ConformanceRuntimeDeleteAgentDocument, { input: { agent_id: other } })).delete_agent).toEqual({ success: true, error: null });
      expect((await tenant.query(ConformanceRuntimeDeleteAgentDocument, { input: { agent_id: other } })).delete_agent).toEqual({
        success: false,
        error: `Agent ${other} not found.`,
      });
    });

    it("refuses another tenant's id in the input and writes nothing", async () => {
      const tenant = await newTenant(t.server);
      const stranger = await newTenant(t.server);
      const agentId = await registerAgent(tenant, { name: 'mine', labels: [] });
      await stranger.createRun({ scheduled_start_time: PAST, labels: [] });
      const poll = await tenant.send(
        ConformanceRuntimeRunsInQueueDocument,
        { input: { tenant_id: stranger.tenantId, labels: [] } },
        { 'x-prefect-agent-id': agentId },
      );
      expect(errorsOf(poll)).toEqual([`FORBIDDEN: Invalid tenant ID: ${stranger.tenantId} is not the tenant of this request.`]);
      expect(poll.data).toEqual({ get_runs_in_queue: null });
      const register = await tenant.send(ConformanceRuntimeRegisterAgentDocument, { input: { type: 'LocalAgent', name: 'x', tenant_id: stranger.tenantId } });
      expect(errorsOf(register)).toEqual([`FORBIDDEN: Invalid tenant ID: ${stranger.tenantId} is not the tenant of this request.`]);
      const config = await tenant.send(ConformanceRuntimeCreateAgentConfigDocument, { input: { tenant_id: stranger.tenantId, name: 'x' } });
      expect(errorsOf(config)[0]).toMatch(/^FORBIDDEN/);
      const k = t.server.db.kysely;
      expect(await k.selectFrom('agent').select(['name', 'last_queried']).where('tenant_id', 'in', [tenant.tenantId, stranger.tenantId]).execute()).toEqual([
        { name: 'mine', last_queried: null },
      ]);
      expect(await k.selectFrom('agent_config').select('id').where('tenant_id', 'in', [tenant.tenantId, stranger.tenantId]).execute()).toEqual([]);
      // The stranger's own agent sees its run; this tenant's queue has none.
      expect(await queue(stranger, [])).toHaveLength(1);
      expect(await queue(tenant, [])).toEqual([]);
    });

    it('keeps agent configs: created, read with their agents, updated, deleted (agents keep running without)', async () => {
      const tenant = await newTenant(t.server);
      const created = await tenant.query(ConformanceRuntimeCreateAgentConfigDocument, {
        input: { tenant_id: tenant.tenantId, name: 'gpu', settings: { max_runs: 2 } },
      });
      const configId = created.create_agent_config?.id ?? '';
      const agentId = await registerAgent(tenant, { name: 'configured', labels: [], agent_config_id: configId });
      const missing = randomUUID();
      const unknown = await tenant.send(ConformanceRuntimeRegisterAgentDocument, { input: { type: 'LocalAgent', agent_config_id: missing } });
      expect(errorsOf(unknown)).toEqual([`NOT_FOUND: Agent config ${missing} not found.`]);
      expect(await tenant.query(ConformanceRuntimeAgentConfigsDocument, { where: {} })).toEqual({
        agent_config: [{ id: configId, name: 'gpu', settings: { max_runs: 2 }, agents: [{ id: agentId, name: 'configured' }] }],
        agent_config_aggregate: { aggregate: { count: 1 } },
      });
      const update = await tenant.query(ConformanceRuntimeUpdateAgentConfigDocument, { input: { agent_config_id: configId, settings: { max_runs: 3 } } });
      expect(update.update_agent_config).toEqual({ success: true, error: null });
      const [agent] = (await tenant.query(ConformanceRuntimeAgentsDocument, { where: { agent_config: { name: { _eq: 'gpu' } } } })).agent;
      expect(agent).toMatchObject({ id: agentId, agent_config_id: configId, agent_config: { id: configId, name: 'gpu' } });
      expect((await tenant.query(ConformanceRuntimeAgentConfigsDocument, { where: {} })).agent_config[0]?.settings).toEqual({ max_runs: 3 });
      const deleted = await tenant.query(ConformanceRuntimeDeleteAgentConfigDocument, { input: { agent_config_id: configId } });
      expect(deleted.delete_agent_config).toEqual({ success: true, error: null });
      expect((await tenant.query(ConformanceRuntimeAgentsDocument, { where: { id: { _eq: agentId } } })).agent[0]).toMatchObject({
        agent_config_id: null,
        agent_config: null,
      });
      const again = await tenant.query(ConformanceRuntimeUpdateAgentConfigDocument, { input: { agent_config_id: configId, name: 'x' } });
      expect(again.update_agent_config).toEqual({ success: false, error: `Agent config ${configId} not found.` });
      const nul = await tenant.send(ConformanceRuntimeCreateAgentConfigDocument, { input: { tenant_id: tenant.tenantId, settings: { path: 'a\u0000b' } } });
      expect(errorsOf(nul)).toEqual(['BAD_USER_INPUT: Invalid input for create_agent_config: settings: path: contains a NUL character (\\u0000).']);
    });

    it('submits a run once per 30 seconds, records the submitting agent, refreshes the heartbeat', async () => {
      const tenant = await newTenant(t.server);
      const agentId = await registerAgent(tenant, { name: 'submitter', labels: [] });
      const run = await tenant.createRun({ scheduled_start_time: PAST, labels: [] });
      const submitted = { type: 'Submitted', message: 'Submitted for execution', state: { type: 'Scheduled', start_time: PAST } };
      await tenant.setFlowRunState(run, submitted, { 'x-prefect-agent-id': agentId });
      let after = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id: run })).flow_run_by_pk;
      expect(after).toMatchObject({ state: 'Submitted', agent_id: agentId, heartbeat: '2030-06-01T12:00:00+00:00', version: 2 });
      // A second agent picking the same run within 30 s is refused, and nothing is written.
      clock.advance(29);
      const second = await tenant.send(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: run, version: 2, state: submitted }] } });
      expect(errorsOf(second)).toEqual(['BAD_USER_INPUT: State update failed: this run has already been submitted.']);
      expect((await tenant.query(ConformanceRuntimeFlowRunDocument, { id: run })).flow_run_by_pk?.version).toBe(2);
      clock.advance(2);
      await tenant.setFlowRunState(run, submitted, { 'x-prefect-agent-id': randomUUID() });
      after = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id: run })).flow_run_by_pk;
      // An agent id that names no agent leaves the recorded one.
      expect(after).toMatchObject({ state: 'Submitted', version: 3, agent_id: agentId, heartbeat: '2030-06-01T12:00:31+00:00' });
    });
  });
}
