// The serialized state's one schema: a reader checks the common fields and its type's own, a
// server every field, so whatever a server stores, every reader reads.
import { describe, expect, it } from 'vitest';
import {
  describeIssues,
  isStateTypeName,
  STATE_FIELDS,
  STATE_TYPE_NAMES,
  stateBaseSchema,
  stateSchema,
  stateTypesWith,
  storableStateSchema,
} from '../src/index.js';

const issues = (
  schema: { safeParse: (value: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  value: unknown,
): string[] => {
  const parsed = schema.safeParse(value);
  return parsed.success || parsed.error === undefined ? [] : describeIssues(parsed.error);
};

describe('the fields of each type', () => {
  it('name the types that carry a start time and the meta states that wrap a state', () => {
    expect(stateTypesWith('start_time')).toEqual(['Scheduled', 'Paused', 'Resume', 'Retrying', 'Queued']);
    expect(stateTypesWith('state')).toEqual(['ClientFailed', 'Submitted', 'Queued']);
    expect(stateTypesWith('n_map_states')).toEqual(['Mapped']);
    expect(Object.keys(STATE_FIELDS)).toEqual(STATE_TYPE_NAMES);
  });
});

describe('a reader', () => {
  it('reads what Prefect writes, unknown keys kept', () => {
    const success = {
      type: 'Success',
      message: 'All reference tasks succeeded.',
      context: { tags: ['a'], nested: { n: 1 } },
      _result: { type: 'S3Result', location: 'key', bucket: 'b', __version__: '1.4.1' },
      cached_inputs: {},
      __version__: '1.4.1',
      later_field: 1,
    };
    expect(stateSchema('Success').safeParse(success)).toEqual({ success: true, data: success });
    expect(stateBaseSchema.safeParse({ type: 'Anything' }).success).toBe(true);
  });

  it("checks the type's own fields and ignores the others, as Prefect's schemas do", () => {
    expect(issues(stateSchema('Scheduled'), { type: 'Scheduled', start_time: 'soon' })).toEqual([
      'start_time: expected an ISO 8601 timestamp, got "soon" (YYYY-MM-DD[THH:MM[:SS[.ffffff]]][Z|±HH:MM], years 1 to 9999)',
    ]);
    expect(issues(stateSchema('Running'), { type: 'Running', start_time: 'soon' })).toEqual([]);
    expect(issues(stateSchema('Retrying'), { type: 'Retrying', run_count: 1.5 })).toEqual(['run_count: expected a whole number or null']);
    expect(issues(stateSchema('Mapped'), { type: 'Mapped', n_map_states: -1 })[0]).toMatch(/^n_map_states: /);
    expect(issues(stateSchema('Cached'), { type: 'Cached', hashed_inputs: { x: 1 } })[0]).toMatch(/^hashed_inputs\.x: /);
    expect(issues(stateSchema('Success'), { type: 'Success', _result: { location: 'no type' } })[0]).toMatch(/^_result\.type: /);
    expect(issues(stateBaseSchema, 'Success')).toEqual(['(root): expected a serialized state object']);
    expect(describeIssues({ issues: [{ path: [], message: 'm' }] }, '(state)')).toEqual(['(state): m']);
    // A caller's own values that the wire cannot carry.
    expect(issues(stateSchema('Success'), { type: 'Success', context: { at: new Date(0) } })[0]).toMatch(/^context: expected JSON values only/);
    expect(issues(stateSchema('Success'), { type: 'Success', context: { ratio: Number.NaN, list: [1] } })[0]).toMatch(/^context: expected JSON values only/);
    expect(issues(stateSchema('Success'), { type: 'Success', context: { ok: [1, 'a', true, null, { x: [] }] } })).toEqual([]);
  });
});

describe('a server', () => {
  it('checks every field whatever the type', () => {
    expect(issues(storableStateSchema, { type: 'Running', start_time: 'soon' })[0]).toMatch(/^start_time: expected an ISO 8601 timestamp/);
    expect(issues(storableStateSchema, { type: 'Success', run_count: -1 })[0]).toMatch(/^run_count: /);
    expect(issues(storableStateSchema, { type: 'Success', state: 'nested?' })[0]).toMatch(/^state: /);
  });

  it('never stores a state a reader of its type refuses', () => {
    // Every field with a good value, a bad one and none, on every type: whatever the server
    // takes, the reader of that type takes.
    const values: Record<string, unknown[]> = {
      start_time: ['2021-05-12T17:59:56.383629+00:00', '2021-05-12', 'soon', 5, null],
      run_count: [2, -1, 1.5, '2', null],
      loop_count: [0, -3, null],
      n_map_states: [3, 'three', null],
      cached_parameters: [{ a: 1 }, [1], null],
      cached_result_expiration: ['2021-05-12 17:59:56+00', '2021-02-30', null],
      hashed_inputs: [{ x: 'abc' }, { x: 1 }, null],
      state: [{ type: 'Running' }, 'Running', null],
      message: ['m', 7, null],
      context: [{}, 'c', null],
      _result: [{ type: 'LocalResult', location: '/tmp' }, { location: 'x' }, null],
      __version__: ['1.4.1', 1, null],
    };
    let stored = 0;
    for (const type of STATE_TYPE_NAMES) {
      for (const [field, options] of Object.entries(values)) {
        for (const value of options) {
          const state = { type, [field]: value };
          if (!storableStateSchema.safeParse(state).success) continue;
          stored += 1;
          expect(stateSchema(type).safeParse(state).success, JSON.stringify(state)).toBe(true);
        }
      }
    }
    expect(stored).toBeGreaterThan(21 * 12);
    expect(isStateTypeName('Exploded')).toBe(false);
  });
});
