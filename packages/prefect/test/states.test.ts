// Prefect's state classes: the names, the tree and the colours every package reads from here.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  isStateSubtype,
  isStateTypeName,
  STATE_CLASSES,
  STATE_COLORS,
  STATE_TYPE_NAMES,
  stateColor,
  stateLineage,
  stateSubtypes,
  type StateSubtypeName,
} from '../src/index.js';

describe('state names', () => {
  it('lists the 21 classes Prefect serializes, each base before its subclasses', () => {
    expect(STATE_TYPE_NAMES).toEqual([
      'Pending',
      'Scheduled',
      'Paused',
      'Resume',
      'Retrying',
      'ClientFailed',
      'Submitted',
      'Queued',
      'Running',
      'Cancelling',
      'Finished',
      'Looped',
      'Success',
      'Cached',
      'Mapped',
      'Skipped',
      'Cancelled',
      'Failed',
      'TimedOut',
      'TriggerFailed',
      'ValidationFailed',
    ]);
    expect(new Set(STATE_TYPE_NAMES).size).toBe(21);
    expect(
      STATE_CLASSES.map((entry) => entry.name)
        .filter(isStateTypeName)
        .sort(),
    ).toEqual([...STATE_TYPE_NAMES].sort());
    for (const [index, name] of STATE_TYPE_NAMES.entries()) {
      for (const ancestor of stateLineage(name).slice(1).filter(isStateTypeName)) expect(STATE_TYPE_NAMES.indexOf(ancestor)).toBeLessThan(index);
    }
  });

  it('tells serializable names from the two bases and from anything else', () => {
    expect(isStateTypeName('TriggerFailed')).toBe(true);
    for (const name of ['State', '_MetaState', 'success', 'Exploded', '', 42, null]) expect(isStateTypeName(name)).toBe(false);
  });
});

describe('the state tree', () => {
  it("walks a class's lineage nearest first, as Python's method resolution order", () => {
    expect(stateLineage('Cached')).toEqual(['Cached', 'Success', 'Finished', 'State']);
    expect(stateLineage('Queued')).toEqual(['Queued', '_MetaState', 'State']);
    expect(stateLineage('State')).toEqual(['State']);
  });

  it('lists the subtypes of a class in tree order, at run time and in the types', () => {
    expect(stateSubtypes('Failed')).toEqual(['Failed', 'TimedOut', 'TriggerFailed', 'ValidationFailed']);
    expect(stateSubtypes('Running')).toEqual(['Running', 'Cancelling']);
    expect(stateSubtypes('_MetaState')).toEqual(['ClientFailed', 'Submitted', 'Queued']);
    expect(stateSubtypes('Finished')).toEqual(STATE_TYPE_NAMES.slice(STATE_TYPE_NAMES.indexOf('Finished')));
    expect(stateSubtypes('State')).toEqual(STATE_TYPE_NAMES);
    expectTypeOf<StateSubtypeName<'Failed'>>().toEqualTypeOf<'Failed' | 'TimedOut' | 'TriggerFailed' | 'ValidationFailed'>();
    expectTypeOf<StateSubtypeName<'Pending'>>().toEqualTypeOf<'Pending' | 'Scheduled' | 'Paused' | 'Resume' | 'Retrying'>();
  });

  it('tests membership by name, unknown names belonging nowhere', () => {
    expect(isStateSubtype('Cached', 'Success')).toBe(true);
    expect(isStateSubtype('Cancelled', 'Success')).toBe(false);
    expect(isStateSubtype('Queued', 'Pending')).toBe(false);
    expect(isStateSubtype('Exploded', 'State')).toBe(false);
  });
});

describe('state colours', () => {
  it("are Prefect's, inherited where a class sets none", () => {
    expect(STATE_COLORS.Success).toBe('#28a745');
    expect(STATE_COLORS.Cancelling).toBe('#E8E8E8');
    expect(STATE_COLORS._MetaState).toBe(STATE_COLORS.State);
    expect(Object.keys(STATE_COLORS)).toHaveLength(STATE_CLASSES.length);
  });

  it('colour a name from a row, the base colour for a name Prefect does not have', () => {
    expect(stateColor('Failed')).toBe('#eb0000');
    expect(stateColor('Exploded')).toBe('#696969');
    expect(stateColor(null)).toBe('#696969');
    expect(stateColor(undefined)).toBe('#696969');
  });
});
