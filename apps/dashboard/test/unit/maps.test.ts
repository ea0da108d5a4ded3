import { describe, expect, test } from 'vitest';
import { stateCounts } from '../../src/maps/counts';
import { ALL_SOURCES, LOG_LEVELS, levelTone } from '../../src/maps/logs';
import { stateFromName } from '@runview/core';
import { STATE_NAMES } from '../../src/maps/state';
import { flowRunFilter } from '../../src/runs/filter';
import { childrenOf, PARENTS_ONLY, taskRunLabel } from '../../src/flow-run/taskRuns';
import { stateCountsAnswer, taskRun } from '../support/fixtures';

describe('state counts', () => {
  test('non-zero counts, largest first, ties by name, with the total', () => {
    expect(stateCounts(stateCountsAnswer({ Success: 47, Failed: 3, Running: 3, Pending: 0 }))).toEqual({
      total: 53,
      counts: [
        { state: 'Success', count: 47 },
        { state: 'Failed', count: 3 },
        { state: 'Running', count: 3 },
      ],
    });
  });

  test('task runs in states the query does not name are counted as Other', () => {
    expect(stateCounts(stateCountsAnswer({ Success: 2 }, 5)).counts).toEqual([
      { state: 'Success', count: 2 },
      { state: 'Other', count: 3 },
    ]);
  });

  test('no task runs: total 0, no counts; a missing aggregate counts as 0', () => {
    expect(stateCounts(stateCountsAnswer({}))).toEqual({ total: 0, counts: [] });
    expect(stateCounts({ ...stateCountsAnswer({ Success: 1 }), total: { aggregate: null } })).toEqual({ total: 0, counts: [{ state: 'Success', count: 1 }] });
  });
});

describe('states', () => {
  test('a state name gives its class: name, colour and predicates', () => {
    const success = stateFromName('Success');
    expect(success.type).toBe('Success');
    expect(success.isFinished()).toBe(true);
    expect(success.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(stateFromName('Running').isFinished()).toBe(false);
    expect(stateFromName('Running').isRunning()).toBe(true);
    expect(stateFromName('Failed').color).not.toBe(success.color);
  });

  test('the same name gives the same State; none reads as Pending; an unknown name is neither running nor finished', () => {
    expect(stateFromName('Success')).toBe(stateFromName('Success'));
    expect(stateFromName(null).type).toBe('Pending');
    expect(stateFromName(undefined).type).toBe('Pending');
    const unknown = stateFromName('Teleported');
    expect(unknown.isFinished()).toBe(false);
    expect(unknown.isRunning()).toBe(false);
  });

  test("every filterable state is in Prefect's tree, Success among them", () => {
    expect(STATE_NAMES).toContain('Success');
    expect(STATE_NAMES).toContain('Cancelled');
    for (const name of STATE_NAMES) expect(stateFromName(name).type).toBe(name);
  });
});

describe('log levels', () => {
  test('levels lowest first; the tone goes by the number, CRITICAL reads as an error', () => {
    expect(LOG_LEVELS).toEqual(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
    expect([10, 20, 30, 40, 50, 0, 5, 25].map(levelTone)).toEqual(['debug', 'info', 'warning', 'error', 'error', 'info', 'debug', 'info']);
    expect(ALL_SOURCES).toEqual({ kind: 'all' });
  });
});

describe('query filters', () => {
  test('the runs filter leaves absent criteria out', () => {
    expect(flowRunFilter({ state: undefined, flowGroupId: undefined })).toEqual({});
    expect(flowRunFilter({ state: 'Failed', flowGroupId: 'g' })).toEqual({ state: { _eq: 'Failed' }, flow: { flow_group_id: { _eq: 'g' } } });
  });

  test('task run tables start from parents; children are one task without the parent', () => {
    expect(PARENTS_ONLY).toEqual({ map_index: { _eq: -1 } });
    expect(childrenOf('t')).toEqual({ task_id: { _eq: 't' }, map_index: { _neq: -1 } });
  });

  test('a task run is labelled by its name, else its task name or slug, with its map index', () => {
    expect(taskRunLabel(taskRun({ name: 'custom' }))).toBe('custom');
    expect(taskRunLabel(taskRun({ task: { name: 'transform' } }))).toBe('transform');
    expect(taskRunLabel(taskRun({ map_index: 7, task: { name: 'transform' } }))).toBe('transform[7]');
    expect(taskRunLabel(taskRun({ task: { name: null, slug: 'transform-1' } }))).toBe('transform-1');
    expect(taskRunLabel(taskRun({ task: { name: null, slug: null } }))).toBe('task');
  });
});
