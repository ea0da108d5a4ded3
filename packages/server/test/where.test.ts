// Hasura's `where` semantics, operator by operator, on every column type of the contract:
// comparisons, patterns, jsonb containment and keys, relationships (EXISTS), boolean operators
// and Prefect Server's boolean null collapse.
import { describe, expect, it } from 'vitest';
import {
  ConformanceFlowRunsDocument,
  ConformanceNullCollapseDocument,
  ConformanceTaskRunsDocument,
  ConformanceTasksDocument,
  type Flow_Run_Bool_Exp,
  type Task_Bool_Exp,
  type Task_Run_Bool_Exp,
} from '@runview/documents/conformance';
import { DEFAULT_TENANT_ID } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { query } from './support/http.js';
import { useTestServer } from './support/server.js';

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`where (${backend.name})`, () => {
    const t = useTestServer(backend, (server) => insertTenantData(server.db, DEFAULT_TENANT_ID));

    async function runs(where: Flow_Run_Bool_Exp): Promise<string[]> {
      const result = await query(t.server, ConformanceFlowRunsDocument, { where });
      return result.flow_run.map((run) => run.name ?? '').sort();
    }

    async function tasks(where: Task_Bool_Exp): Promise<string[]> {
      const result = await query(t.server, ConformanceTasksDocument, { where });
      return result.task.map((task) => task.name ?? '').sort();
    }

    async function taskRuns(where: Task_Run_Bool_Exp): Promise<number[]> {
      const result = await query(t.server, ConformanceTaskRunsDocument, { where });
      return result.task_run.map((taskRun) => taskRun.map_index).sort((a, b) => a - b);
    }

    it('compares uuids', async () => {
      const amber = t.data.runs['amber-fox'];
      expect(await runs({ id: { _eq: amber } })).toEqual(['amber-fox']);
      expect(await runs({ id: { _eq: amber.toUpperCase() } })).toEqual(['amber-fox']);
      expect(await runs({ id: { _neq: amber } })).toEqual(['brisk-owl', 'calm-elk', 'dusty-yak']);
      expect(await runs({ id: { _in: [amber, t.data.runs['calm-elk']] } })).toEqual(['amber-fox', 'calm-elk']);
      expect(await runs({ id: { _nin: [amber] } })).toEqual(['brisk-owl', 'calm-elk', 'dusty-yak']);
      expect(await runs({ agent_id: { _is_null: true } })).toHaveLength(4);
      expect(await runs({ agent_id: { _is_null: false } })).toEqual([]);
      const sorted = Object.values(t.data.runs).sort();
      expect(await runs({ id: { _gt: sorted[1] ?? '' } })).toHaveLength(2);
      expect(await runs({ id: { _lte: sorted[1] ?? '' } })).toHaveLength(2);
    });

    it('compares strings, with SQL patterns and their negations', async () => {
      expect(await runs({ name: { _eq: 'brisk-owl' } })).toEqual(['brisk-owl']);
      expect(await runs({ name: { _gt: 'brisk-owl' } })).toEqual(['calm-elk', 'dusty-yak']);
      expect(await runs({ name: { _gte: 'brisk-owl', _lt: 'dusty-yak' } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ name: { _lte: 'amber-fox' } })).toEqual(['amber-fox']);
      expect(await runs({ state: { _in: ['Success', 'Failed'] } })).toEqual(['amber-fox', 'brisk-owl']);
      // SQL semantics, as Hasura: a null state is neither in nor not in a list.
      expect(await runs({ state: { _nin: ['Success'] } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ state: { _neq: 'Success' } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ state: { _is_null: true } })).toEqual(['dusty-yak']);
      expect(await runs({ name: { _like: '%-o%' } })).toEqual(['brisk-owl']);
      expect(await runs({ name: { _like: 'AMBER%' } })).toEqual([]);
      expect(await runs({ name: { _nlike: '%-%l%' } })).toEqual(['amber-fox', 'dusty-yak']);
      expect(await runs({ name: { _ilike: 'AMBER%' } })).toEqual(['amber-fox']);
      expect(await runs({ name: { _nilike: '%K%' } })).toEqual(['amber-fox']);
      expect(await runs({ name: { _similar: '(amber|calm)-%' } })).toEqual(['amber-fox', 'calm-elk']);
      expect(await runs({ name: { _nsimilar: '(amber|calm)-%' } })).toEqual(['brisk-owl', 'dusty-yak']);
    });

    it('compares integers and booleans', async () => {
      expect(await runs({ version: { _eq: 3 } })).toEqual(['amber-fox']);
      expect(await runs({ version: { _neq: 3, _gte: 1 } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ version: { _gt: 0, _lt: 3 } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ version: { _lte: 0 } })).toEqual(['dusty-yak']);
      expect(await runs({ version: { _in: [0, 3] } })).toEqual(['amber-fox', 'dusty-yak']);
      expect(await runs({ version: { _nin: [0, 3] } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ auto_scheduled: { _eq: false } })).toHaveLength(4);
      expect(await tasks({ mapped: { _eq: true } })).toEqual(['transform']);
      expect(await tasks({ mapped: { _neq: true } })).toEqual(['extract', 'load']);
      expect(await tasks({ mapped: { _in: [true, false] } })).toHaveLength(3);
      expect(await taskRuns({ map_index: { _gte: 0 } })).toEqual([0, 1]);
    });

    it('compares timestamps given in the ISO forms Prefect clients send', async () => {
      expect(await runs({ start_time: { _eq: '2021-05-12T17:59:56.383629+00:00' } })).toEqual(['amber-fox']);
      expect(await runs({ start_time: { _eq: '2021-05-12T17:59:56.383629Z' } })).toEqual(['amber-fox']);
      // No offset means UTC, as the 1.x docs' "2019-01-01 12:00:00".
      expect(await runs({ start_time: { _gt: '2021-05-13 00:00:00' } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ start_time: { _lt: '2021-05-13T10:00:00+02:00' } })).toEqual(['amber-fox']);
      expect(await runs({ start_time: { _lte: '2021-05-13T10:00:00+02:00' } })).toEqual(['amber-fox', 'brisk-owl']);
      expect(await runs({ start_time: { _gte: '2021-05-14T09:30:00.5+00:00' } })).toEqual(['calm-elk']);
      expect(await runs({ start_time: { _neq: '2021-05-13T08:00:00+00:00' } })).toEqual(['amber-fox', 'calm-elk']);
      expect(await runs({ start_time: { _in: ['2021-05-13T08:00:00Z', '2021-05-14T09:30:00.500000+00:00'] } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ start_time: { _nin: ['2021-05-13T08:00:00Z'] } })).toEqual(['amber-fox', 'calm-elk']);
      expect(await runs({ start_time: { _is_null: true } })).toEqual(['dusty-yak']);
      expect(await runs({ scheduled_start_time: { _gte: '2021-05-14' } })).toEqual(['calm-elk', 'dusty-yak']);
    });

    it('compares intervals', async () => {
      expect(await tasks({ retry_delay: { _eq: '00:01:00' } })).toEqual(['extract']);
      expect(await tasks({ retry_delay: { _eq: '60 seconds' } })).toEqual(['extract']);
      expect(await tasks({ retry_delay: { _gt: '00:00:30' } })).toEqual(['extract', 'load']);
      expect(await tasks({ retry_delay: { _lt: '1 hour' } })).toEqual(['extract']);
      expect(await tasks({ retry_delay: { _gte: '1 day' }, max_retries: { _eq: 0 } })).toEqual(['load']);
      expect(await tasks({ retry_delay: { _lte: '1 day 02:00:00', _neq: '00:01:00' } })).toEqual(['load']);
      expect(await tasks({ retry_delay: { _in: ['00:01:00'] } })).toEqual(['extract']);
      expect(await tasks({ retry_delay: { _nin: ['00:01:00'] } })).toEqual(['load']);
      expect(await tasks({ retry_delay: { _is_null: true } })).toEqual(['transform']);
    });

    it('compares jsonb: containment, keys and equality', async () => {
      expect(await runs({ labels: { _contains: ['prod'] } })).toEqual(['amber-fox', 'dusty-yak']);
      expect(await runs({ labels: { _contains: ['prod', 'k8s'] } })).toEqual(['amber-fox']);
      expect(await runs({ labels: { _contained_in: ['prod', 'dev'] } })).toEqual(['brisk-owl', 'calm-elk', 'dusty-yak']);
      expect(await runs({ parameters: { _contains: { nested: { value: 42 } } } })).toEqual(['amber-fox']);
      expect(await runs({ parameters: { _has_key: 'nested' } })).toEqual(['amber-fox']);
      expect(await runs({ parameters: { _has_keys_any: ['nested', 'x'] } })).toEqual(['amber-fox', 'dusty-yak']);
      expect(await runs({ parameters: { _has_keys_all: ['nested', 'x'] } })).toEqual(['amber-fox']);
      expect(await runs({ parameters: { _eq: { x: 2 } } })).toEqual(['dusty-yak']);
      expect(await runs({ parameters: { _neq: { x: 2 } } })).toEqual(['amber-fox', 'brisk-owl']);
      expect(await runs({ parameters: { _in: [{}, { x: 2 }] } })).toEqual(['brisk-owl', 'dusty-yak']);
      expect(await runs({ parameters: { _nin: [{}] } })).toEqual(['amber-fox', 'dusty-yak']);
      expect(await runs({ parameters: { _gt: {} } })).toEqual(['amber-fox', 'dusty-yak']);
      expect(await runs({ parameters: { _is_null: true } })).toEqual(['calm-elk']);
      expect(await tasks({ tags: { _contains: 'io' } })).toEqual(['extract', 'transform']);
    });

    it('treats empty lists as Hasura does', async () => {
      expect(await runs({ name: { _in: [] } })).toEqual([]);
      expect(await runs({ name: { _nin: [] } })).toHaveLength(4);
      expect(await runs({ parameters: { _has_keys_any: [] } })).toEqual([]);
      expect(await runs({ _and: [] })).toHaveLength(4);
      expect(await runs({ _or: [] })).toEqual([]);
      expect(await runs({})).toHaveLength(4);
      expect(await runs({ _not: {} })).toEqual([]);
    });

    it('combines conditions with _and, _or and _not', async () => {
      expect(await runs({ _or: [{ name: { _eq: 'amber-fox' } }, { state: { _eq: 'Running' } }] })).toEqual(['amber-fox', 'calm-elk']);
      expect(await runs({ _and: [{ labels: { _contains: ['prod'] } }, { state: { _is_null: false } }] })).toEqual(['amber-fox']);
      // SQL's three-valued logic, as Hasura: NOT (null = 'Success') is not true.
      expect(await runs({ _not: { state: { _eq: 'Success' } } })).toEqual(['brisk-owl', 'calm-elk']);
      expect(await runs({ _not: { _or: [{ version: { _gt: 2 } }, { version: { _lt: 1 } }] } })).toEqual(['brisk-owl', 'calm-elk']);
      // Keys of one object are combined with AND.
      expect(await runs({ labels: { _contains: ['prod'] }, version: { _gt: 0 } })).toEqual(['amber-fox']);
    });

    it('filters through object and array relationships', async () => {
      expect(await taskRuns({ flow_run: { name: { _eq: 'amber-fox' } }, task: { name: { _eq: 'transform' } } })).toEqual([-1, 0, 1]);
      // An array relationship matches when any related row matches.
      expect(await runs({ task_runs: { state: { _eq: 'Failed' } } })).toEqual(['amber-fox', 'brisk-owl']);
      expect(await runs({ task_runs: { task: { mapped: { _eq: true } } } })).toEqual(['amber-fox']);
      expect(await runs({ _not: { task_runs: {} } })).toEqual(['calm-elk', 'dusty-yak']);
      expect(await runs({ logs: { level: { _eq: 'ERROR' } } })).toEqual(['amber-fox']);
      expect(await runs({ states: { state: { _eq: 'Scheduled' } } })).toEqual(['amber-fox']);
      expect(await runs({ flow: { project: { name: { _eq: 'analytics' } } } })).toHaveLength(4);
      expect(await runs({ flow: { project: { name: { _eq: 'elsewhere' } } } })).toEqual([]);
      expect(await tasks({ task_runs: { flow_run: { name: { _eq: 'brisk-owl' } } } })).toEqual(['extract']);
    });

    it('collapses explicit nulls to no condition, as Prefect Server runs Hasura', async () => {
      const result = await query(t.server, ConformanceNullCollapseDocument, { name: null, states: null });
      expect(result.literalNulls).toHaveLength(4);
      expect(result.variableNulls).toHaveLength(4);
      expect(result.empty).toHaveLength(4);
      expect(await runs({ name: { _eq: null, _like: 'amber%' }, state: null })).toEqual(['amber-fox']);
      expect(await runs({ _and: null, _or: null, _not: null, id: null })).toHaveLength(4);
    });
  });
}
