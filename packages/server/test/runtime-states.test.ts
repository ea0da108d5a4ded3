// State writes as Prefect Core's runners rely on them, with Prefect Server's rules: the version
// they send is ignored (a stale one too), start and end times and heartbeats follow the run
// triggers, a cancelled flow run cancels its unfinished task runs, cached inputs carry over,
// and a state the project's own client could not read back is refused, naming the field.
import type { JsonObject } from '@runview/documents';
import { SetFlowRunStatesDocument, SetTaskRunStatesDocument } from '@runview/documents/testing';
import { ConformanceRuntimeFlowRunDocument } from '@runview/documents/conformance';
import { describe, expect, it } from 'vitest';
import { parseState } from '../src/states/index.js';
import { BACKENDS } from './mutations-harness.js';
import { newTenant, TestClock, type TestTenant } from './support/runtime-tenant.js';
import { useTestServer } from './support/server.js';

const NOW_TEXT = '2030-06-01T12:00:00+00:00';

function errorsOf(answer: { errors?: readonly { message: string; extensions?: { code?: string } }[] }): string[] {
  return (answer.errors ?? []).map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`);
}

async function runOf(tenant: TestTenant, id: string) {
  const run = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id })).flow_run_by_pk;
  if (!run) throw new TypeError(`flow run ${id} not found`);
  return run;
}

describe('state nesting', () => {
  // Over HTTP the cost model refuses such input first; the state parser refuses it for any caller.
  it('refuses a state nested deeper than 100 levels before its fields are walked', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(150)}1${'}'.repeat(150)}`) as JsonObject;
    expect(() => parseState({ type: 'Success', context: deep })).toThrow('Invalid Success state: context: nested deeper than 100 levels.');
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`state writes with Prefect Server's rules (${backend.name})`, () => {
    const clock = new TestClock('2030-06-01T12:00:00.000Z');
    const t = useTestServer(backend, () => Promise.resolve(undefined), { now: clock.now });

    it('ignores the version a runner sends, a stale one included (no version locking on Server)', async () => {
      const tenant = await newTenant(t.server);
      const id = await tenant.createRun();
      for (const version of [1, 1, 0, 99, null]) {
        const answer = await tenant.query(SetFlowRunStatesDocument, {
          input: { states: [{ flow_run_id: id, version, state: { type: 'Running', message: `v${String(version)}` } }] },
        });
        expect(answer.set_flow_run_states?.states).toEqual([{ id, status: 'SUCCESS', message: null }]);
      }
      const run = await runOf(tenant, id);
      expect(run.states.map((state) => state.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(run).toMatchObject({ version: 6, state_start_time: null, start_time: run.states[1]?.timestamp });
      const [taskRun] = run.task_runs;
      const answer = await tenant.query(SetTaskRunStatesDocument, {
        input: { states: [{ task_run_id: taskRun?.id ?? '', version: 0, flow_run_version: 1, state: { type: 'Running' } }] },
      });
      expect(answer.set_task_run_states?.states).toEqual([{ id: taskRun?.id, status: 'SUCCESS', message: null }]);
    });

    it("keeps start, end and heartbeat as Prefect Server's triggers do", async () => {
      const tenant = await newTenant(t.server);
      const id = await tenant.createRun();
      await tenant.setFlowRunState(id, { type: 'Running', start_time: '2020-01-01T00:00:00+00:00' });
      let run = await runOf(tenant, id);
      // A start_time key on a Running state is not a scheduled start.
      expect(run).toMatchObject({ heartbeat: NOW_TEXT, state_start_time: null, start_time: run.states[1]?.timestamp, end_time: null });
      const [extract, transform] = run.task_runs;
      await tenant.setTaskRunState(transform?.id ?? '', { type: 'Mapped', n_map_states: 0 });
      await tenant.setTaskRunState(extract?.id ?? '', { type: 'TriggerFailed', message: 'upstream failed' });
      await tenant.setFlowRunState(id, { type: 'Cancelling' });
      run = await runOf(tenant, id);
      // Mapped and TriggerFailed end no run; Cancelling starts none.
      expect(run.task_runs.map((taskRun) => [taskRun.state, taskRun.start_time, taskRun.end_time, taskRun.heartbeat])).toEqual([
        ['TriggerFailed', null, null, null],
        ['Mapped', null, null, null],
      ]);
      expect(run).toMatchObject({ state: 'Cancelling', start_time: run.states[1]?.timestamp, end_time: null });
      await tenant.setFlowRunState(id, { type: 'Failed' });
      await tenant.setFlowRunState(id, { type: 'Success' });
      run = await runOf(tenant, id);
      // The latest end counts.
      expect(run).toMatchObject({ state: 'Success', end_time: run.states.at(-1)?.timestamp });
    });

    it('refuses a running task state unless the flow run is Running (Cancelling is not)', async () => {
      const tenant = await newTenant(t.server);
      const id = await tenant.createRun();
      await tenant.setFlowRunState(id, { type: 'Running' });
      await tenant.setFlowRunState(id, { type: 'Cancelling' });
      const [taskRun] = (await runOf(tenant, id)).task_runs;
      const answer = await tenant.send(SetTaskRunStatesDocument, { input: { states: [{ task_run_id: taskRun?.id ?? '', state: { type: 'Running' } }] } });
      expect(errorsOf(answer)).toEqual([
        `BAD_USER_INPUT: State update failed for task run ID ${taskRun?.id ?? ''}: provided a running state but associated flow run ${id} is not in a running state.`,
      ]);
    });

    it('cancels the unfinished task runs with a Cancelled flow run state', async () => {
      const tenant = await newTenant(t.server);
      const id = await tenant.createRun();
      await tenant.setFlowRunState(id, { type: 'Running' });
      const [extract, transform] = (await runOf(tenant, id)).task_runs;
      await tenant.setTaskRunState(extract?.id ?? '', { type: 'Success', message: 'Task run succeeded.' });
      await tenant.setTaskRunState(transform?.id ?? '', { type: 'Running' });
      await tenant.setFlowRunState(id, { type: 'Cancelled', message: 'Flow run is cancelled' });
      const run = await runOf(tenant, id);
      expect(run.task_runs.map((taskRun) => [taskRun.task.slug, taskRun.state, (taskRun.serialized_state as JsonObject)['message']])).toEqual([
        ['extract-1', 'Success', 'Task run succeeded.'],
        ['transform-1', 'Cancelled', 'Flow run is cancelled'],
      ]);
    });

    it("carries a task run's cached inputs over to a state that brings none", async () => {
      const tenant = await newTenant(t.server);
      const id = await tenant.createRun();
      await tenant.setFlowRunState(id, { type: 'Running' });
      const [taskRun] = (await runOf(tenant, id)).task_runs;
      const cached = { x: { type: 'LocalResult', location: '/tmp/x' } };
      await tenant.setTaskRunState(taskRun?.id ?? '', { type: 'Running', cached_inputs: cached });
      await tenant.setTaskRunState(taskRun?.id ?? '', { type: 'Failed', cached_inputs: {} });
      let stored = (await runOf(tenant, id)).task_runs[0]?.serialized_state;
      expect(stored).toEqual({ type: 'Failed', cached_inputs: cached });
      const replaced = { y: { type: 'LocalResult', location: '/tmp/y' } };
      await tenant.setTaskRunState(taskRun?.id ?? '', { type: 'Retrying', start_time: '2030-06-01T12:05:00+00:00', cached_inputs: replaced });
      stored = (await runOf(tenant, id)).task_runs[0]?.serialized_state;
      expect(stored).toMatchObject({ type: 'Retrying', cached_inputs: replaced });
    });

    it("refuses states the project's client could not read back, naming the field, and writes nothing", async () => {
      const tenant = await newTenant(t.server);
      const id = await tenant.createRun();
      const before = await runOf(tenant, id);
      const bad: [unknown, string][] = [
        [{ type: 'Running', start_time: 'not a time' }, 'Invalid Running state: start_time: expected an ISO 8601 timestamp, got "not a time"'],
        [
          { type: 'Scheduled', start_time: '0000-01-01T00:00:00+00:00' },
          'Invalid Scheduled state: start_time: expected an ISO 8601 timestamp, got "0000-01-01T00:00:00+00:00"',
        ],
        [
          { type: 'Scheduled', start_time: '2021-02-29T17:59:56+00:00' },
          'Invalid Scheduled state: start_time: expected an ISO 8601 timestamp, got "2021-02-29T17:59:56+00:00"',
        ],
        [{ type: 'Scheduled', start_time: '2021-05-12T17:59:56+16:00' }, 'Invalid Scheduled state: start_time'],
        [{ type: 'Retrying', start_time: 'soon' }, 'Invalid Retrying state: start_time'],
        [{ type: 'Cached', cached_result_expiration: 'tomorrow' }, 'Invalid Cached state: cached_result_expiration'],
        [{ type: 'Success', message: 'done\u0000' }, 'Invalid Success state: message: contains a NUL character (\\u0000).'],
        [{ type: 'Success', context: { 'k\u0000': 1 } }, 'Invalid Success state: context: a key contains a NUL character'],
        [{ type: 'Failed', message: 'half \ud800 pair' }, 'Invalid Failed state: message: contains an unpaired UTF-16 surrogate'],
        [{ type: 'Success', run_count: -1 }, 'Invalid Success state: run_count'],
        [{ type: 'Success', state: 'nested?' }, 'Invalid Success state: state'],
        [{ type: 'Success', _result: { location: 'no type' } }, 'Invalid Success state: _result.type'],
        [{ type: 'Submitted', state: { type: 'Running', start_time: 'soon' } }, 'Invalid Running state: start_time'],
      ];
      for (const [state, message] of bad) {
        // A valid state first in the same request: it must not be written either.
        const answer = await tenant.send(SetFlowRunStatesDocument, {
          input: {
            states: [
              { flow_run_id: id, state: { type: 'Pending' } },
              { flow_run_id: id, state: state as JsonObject },
            ],
          },
        });
        expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(state).slice(0, 80)).toBe('BAD_USER_INPUT');
        expect(answer.errors?.[0]?.message).toContain(`State update failed for flow run ID ${id}: `);
        expect(answer.errors?.[0]?.message).toContain(message);
      }
      expect(await runOf(tenant, id)).toEqual(before);
      // What Prefect itself writes passes: a 6-digit fraction with an offset, a space, a Z; and
      // what pendulum and PostgreSQL also read: a date alone, more digits than microseconds.
      for (const startTime of [
        '2021-05-12T17:59:56.383629+00:00',
        '2021-05-12 17:59:56Z',
        '2021-05-12',
        '2021-05-12T17:59:56.1234567891+00',
        '2021-05-12T17:59:56.5-05:00',
      ]) {
        await tenant.setFlowRunState(id, { type: 'Scheduled', start_time: startTime });
      }
      expect((await runOf(tenant, id)).state_start_time).toBe('2021-05-12T22:59:56.5+00:00');
    });
  });
}
