// The state model against Prefect Core 1.x: the class tree, every predicate for all 23 classes,
// colours, reprs, and the serialized JSON of every field in both directions.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { MetaState } from '../src/states/state.js';
import {
  Cached,
  Cancelled,
  Cancelling,
  ClientFailed,
  deserializeState,
  Failed,
  Finished,
  InvalidArgumentError,
  Looped,
  Mapped,
  Paused,
  Pending,
  Queued,
  Resume,
  Retrying,
  Running,
  Scheduled,
  Skipped,
  State,
  Submitted,
  Success,
  TimedOut,
  TriggerFailed,
  UnknownState,
  ValidationFailed,
  STATE_TYPE_NAMES,
} from '../src/index.js';

type Predicate =
  | 'isPending'
  | 'isScheduled'
  | 'isRetrying'
  | 'isQueued'
  | 'isSubmitted'
  | 'isMetaState'
  | 'isRunning'
  | 'isFinished'
  | 'isSuccessful'
  | 'isFailed'
  | 'isSkipped'
  | 'isCached'
  | 'isMapped'
  | 'isLooped';

const PREDICATES: Predicate[] = [
  'isPending',
  'isScheduled',
  'isRetrying',
  'isQueued',
  'isSubmitted',
  'isMetaState',
  'isRunning',
  'isFinished',
  'isSuccessful',
  'isFailed',
  'isSkipped',
  'isCached',
  'isMapped',
  'isLooped',
];

// Prefect Core 1.4.1's truth table (engine/state.py): which predicates are true for each class.
const TRUE_FOR: [new () => State, string, string, Predicate[]][] = [
  [State, 'State', '#696969', []],
  [Pending, 'Pending', '#7ebdff', ['isPending']],
  [Scheduled, 'Scheduled', '#ffab00', ['isPending', 'isScheduled']],
  [Paused, 'Paused', '#99a8e8', ['isPending', 'isScheduled']],
  [Resume, 'Resume', '#f58c0c', ['isPending', 'isScheduled']],
  [Retrying, 'Retrying', '#f66a0a', ['isPending', 'isScheduled', 'isRetrying']],
  [MetaState, '_MetaState', '#696969', ['isMetaState']],
  [ClientFailed, 'ClientFailed', '#eb0000', ['isMetaState']],
  [Submitted, 'Submitted', '#ffdf5d', ['isMetaState', 'isSubmitted']],
  [Queued, 'Queued', '#ffea7f', ['isMetaState', 'isQueued', 'isScheduled']],
  [Running, 'Running', '#3d67ff', ['isRunning']],
  [Cancelling, 'Cancelling', '#E8E8E8', ['isRunning']],
  [Finished, 'Finished', '#003ccb', ['isFinished']],
  [Looped, 'Looped', '#003ccb', ['isFinished', 'isLooped']],
  [Success, 'Success', '#28a745', ['isFinished', 'isSuccessful']],
  [Cached, 'Cached', '#34d058', ['isFinished', 'isSuccessful', 'isCached']],
  [Mapped, 'Mapped', '#003ccb', ['isFinished', 'isSuccessful', 'isMapped']],
  [Skipped, 'Skipped', '#62757f', ['isFinished', 'isSuccessful', 'isSkipped']],
  [Cancelled, 'Cancelled', '#bdbdbd', ['isFinished']],
  [Failed, 'Failed', '#eb0000', ['isFinished', 'isFailed']],
  [TimedOut, 'TimedOut', '#ff4e33', ['isFinished', 'isFailed']],
  [TriggerFailed, 'TriggerFailed', '#ff5131', ['isFinished', 'isFailed']],
  [ValidationFailed, 'ValidationFailed', '#ff5131', ['isFinished', 'isFailed']],
];

describe('the 23 state classes', () => {
  it('covers every class of the tree', () => {
    expect(TRUE_FOR).toHaveLength(23);
    expect(TRUE_FOR.map(([, type]) => type).filter((type) => type !== 'State' && type !== '_MetaState')).toEqual([...STATE_TYPE_NAMES]);
  });

  it.each(TRUE_FOR)('%o: type, colour and predicates match Prefect', (Class, type, color, trueFor) => {
    const state = new Class();
    expect(state.type).toBe(type);
    expect(state.color).toBe(color);
    for (const predicate of PREDICATES) {
      expect({ predicate, value: state[predicate]() }).toEqual({ predicate, value: trueFor.includes(predicate) });
    }
  });

  it('keeps the parents of Prefect', () => {
    expect(new Paused()).toBeInstanceOf(Scheduled);
    expect(new Retrying()).toBeInstanceOf(Pending);
    expect(new Queued()).toBeInstanceOf(MetaState);
    expect(new Cancelling()).toBeInstanceOf(Running);
    expect(new Cached()).toBeInstanceOf(Success);
    expect(new TimedOut()).toBeInstanceOf(Failed);
    expect(new Cancelled()).not.toBeInstanceOf(Success);
    expect(new ClientFailed()).not.toBeInstanceOf(Failed);
  });

  it('narrows with the predicates', () => {
    const state: State = deserializeState({ type: 'Retrying', run_count: 3, start_time: '2021-05-12T17:59:56.383629+00:00' });
    if (state.isRetrying()) {
      expectTypeOf(state).toEqualTypeOf<Retrying>();
      expect(state.runCount).toBe(3);
    } else {
      throw new Error('expected Retrying');
    }
    const other: State = new Queued({ startTime: null });
    if (other.isScheduled()) expectTypeOf(other).toEqualTypeOf<Scheduled | Queued>();
    const mapped: State = new Mapped({ nMapStates: 2 });
    if (mapped.isMapped()) expect(mapped.nMapStates).toBe(2);
  });

  it('is immutable', () => {
    const state = new Success({ message: 'done', context: { a: [1] } });
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.context)).toBe(true);
    expect(() => {
      (state as { message: string | null }).message = 'changed';
    }).toThrow(TypeError);
    expect(Object.isFrozen(new Retrying())).toBe(true);
    expect(Object.isFrozen(new Cached())).toBe(true);
  });
});

describe('repr', () => {
  it("prints as Prefect's repr", () => {
    expect(String(new Success({ message: 'All reference tasks succeeded.' }))).toBe('<Success: "All reference tasks succeeded.">');
    expect(new Running().toString()).toBe('<Running>');
    expect(new Pending({ message: '' }).toString()).toBe('<Pending>');
  });

  it('prints the same through util.inspect', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(new Failed({ message: 'Some reference tasks failed.' }))).toBe('<Failed: "Some reference tasks failed.">');
    expect(inspect([new Success()])).toBe('[ <Success> ]');
  });
});

describe('serialization', () => {
  const version = '1.4.1';
  const localResult = {
    type: 'LocalResult',
    location: '/home/prefect/.prefect/results/r.prefect',
    dir: '/home/prefect/.prefect/results',
    __version__: version,
  };
  // Each as Prefect Core 1.4.1's StateSchema().dump() writes it.
  const dumps: Record<string, Record<string, unknown>> = {
    Pending: {
      type: 'Pending',
      message: 'Task run created',
      context: {},
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      __version__: version,
    },
    Scheduled: {
      type: 'Scheduled',
      message: null,
      context: {},
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      start_time: '2021-05-12T17:59:56.383629+00:00',
      __version__: version,
    },
    Paused: {
      type: 'Paused',
      message: 'Waiting for approval',
      context: {},
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      start_time: null,
      __version__: version,
    },
    Resume: {
      type: 'Resume',
      message: 'Approved',
      context: {},
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      start_time: '2021-05-12T18:00:00+00:00',
      __version__: version,
    },
    Retrying: {
      type: 'Retrying',
      message: 'Retrying in 10 s',
      context: { task_run_count: 2 },
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      start_time: '2021-05-12T18:00:10.5+00:00',
      run_count: 2,
      __version__: version,
    },
    Submitted: {
      type: 'Submitted',
      message: 'Submitted for execution',
      context: {},
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      state: {
        type: 'Scheduled',
        message: null,
        context: {},
        _result: { type: 'NoResultType', __version__: version },
        cached_inputs: {},
        start_time: '2021-05-12T17:59:56.383629+00:00',
        __version__: version,
      },
      __version__: version,
    },
    ClientFailed: {
      type: 'ClientFailed',
      message: 'Could not set state',
      context: {},
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      state: null,
      __version__: version,
    },
    Queued: {
      type: 'Queued',
      message: 'Queued by concurrency limit',
      context: {},
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      state: { type: 'Running', message: null, context: {}, _result: { type: 'NoResultType', __version__: version }, cached_inputs: {}, __version__: version },
      start_time: '2021-05-12T18:00:30+00:00',
      __version__: version,
    },
    Looped: {
      type: 'Looped',
      message: 'Iteration 3',
      context: { task_loop_count: 3 },
      _result: localResult,
      cached_inputs: {},
      loop_count: 3,
      __version__: version,
    },
    Cached: {
      type: 'Cached',
      message: 'Using cached result',
      context: {},
      _result: localResult,
      cached_inputs: { x: { type: 'PrefectResult', location: '42', __version__: version } },
      cached_parameters: { n: 42 },
      cached_result_expiration: '2021-05-13T17:59:56.383629+00:00',
      hashed_inputs: { x: 'abc123' },
      __version__: version,
    },
    Mapped: { type: 'Mapped', message: 'Mapped tasks submitted.', context: {}, cached_inputs: {}, n_map_states: 50, __version__: version },
    Success: {
      type: 'Success',
      message: 'Task run succeeded.',
      context: {},
      _result: { type: 'S3Result', location: 'runs/2021/r.json', bucket: 'results', __version__: version },
      cached_inputs: {},
      __version__: version,
    },
    Failed: {
      type: 'Failed',
      message: 'Some reference tasks failed.',
      context: {},
      _result: { type: 'NoResultType', __version__: version },
      cached_inputs: {},
      __version__: version,
    },
  };

  it.each(Object.entries(dumps))('round-trips %s losslessly', (type, json) => {
    const state = deserializeState(json);
    expect(state.type).toBe(type);
    expect(state.serialize()).toEqual(json);
    expect(deserializeState(state.serialize()).equals(state)).toBe(true);
    expect(JSON.parse(JSON.stringify(state))).toEqual(json);
  });

  it('reads every field of its type', () => {
    const cached = deserializeState(dumps['Cached']);
    if (!cached.isCached()) throw new Error('expected Cached');
    expect(cached.message).toBe('Using cached result');
    expect(cached.result).toEqual({ type: 'LocalResult', location: localResult.location, settings: { dir: localResult.dir, __version__: version } });
    expect(cached.cachedInputs['x']?.location).toBe('42');
    expect(cached.cachedParameters).toEqual({ n: 42 });
    expect(cached.cachedResultExpiration?.toISOString()).toBe('2021-05-13T17:59:56.383Z');
    expect(cached.hashedInputs).toEqual({ x: 'abc123' });
    expect(cached.serializedVersion).toBe(version);

    const queued = deserializeState(dumps['Queued']);
    if (!queued.isQueued()) throw new Error('expected Queued');
    expect(queued.state?.type).toBe('Running');
    expect(queued.startTime?.toISOString()).toBe('2021-05-12T18:00:30.000Z');

    const looped = deserializeState(dumps['Looped']);
    expect(looped.isLooped() && looped.loopCount).toBe(3);

    const mapped = deserializeState(dumps['Mapped']);
    if (!mapped.isMapped()) throw new Error('expected Mapped');
    expect(mapped.nMapStates).toBe(50);
    expect(mapped.mapStates).toHaveLength(50);
    expect(mapped.mapStates.every((child) => child === null)).toBe(true);
    expect('_result' in mapped.serialize()).toBe(false);

    const paused = deserializeState(dumps['Paused']);
    expect(paused instanceof Paused && paused.startTime).toBeNull();
  });

  it('fills the defaults of a minimal state as Prefect does', () => {
    const state = deserializeState({ type: 'Pending', message: 'Task run created' });
    expect(state).toBeInstanceOf(Pending);
    expect(state.context).toEqual({});
    expect(state.result.type).toBe('NoResultType');
    expect(state.serialize()).toEqual({ type: 'Pending', message: 'Task run created', context: {}, _result: { type: 'NoResultType' }, cached_inputs: {} });
    expect(new Retrying().runCount).toBe(1);
    expect(new Scheduled().startTime).toBeInstanceOf(Date);
    expect(new Paused().startTime).toBeNull();
  });

  it('ignores unknown keys, as Prefect does', () => {
    const state = deserializeState({ type: 'Success', message: 'ok', something_new: 1 });
    expect(state).toBeInstanceOf(Success);
    expect(state.serialize()).not.toHaveProperty('something_new');
  });

  it('unwraps a nested meta state', () => {
    const submitted = new Submitted({ state: new Queued({ state: new Scheduled({ startTime: '2021-05-12T17:59:56+00:00' }) }) });
    expect(submitted.state).toBeInstanceOf(Scheduled);
  });

  it('compares like Prefect: same class and fields, message and context ignored', () => {
    expect(new Success({ message: 'a' }).equals(new Success({ message: 'b', context: { x: 1 } }))).toBe(true);
    expect(new Success().equals(new Cached())).toBe(false);
    expect(
      new Retrying({ runCount: 1, startTime: '2021-05-12T18:00:00+00:00' }).equals(new Retrying({ runCount: 2, startTime: '2021-05-12T18:00:00+00:00' })),
    ).toBe(false);
    expect(new Scheduled({ startTime: '2021-05-12T18:00:00+00:00' }).equals(new Scheduled({ startTime: '2021-05-12T18:00:00.000000Z' }))).toBe(true);
  });
});

describe('unknown and malformed states', () => {
  it('keeps an unknown type as an UnknownState that is neither pending, running nor finished', () => {
    const raw = { type: 'Crashed', message: 'The process died', context: {}, exit_code: 137 };
    const state = deserializeState(raw);
    expect(state).toBeInstanceOf(UnknownState);
    expect(state.type).toBe('Crashed');
    expect(state.message).toBe('The process died');
    for (const predicate of PREDICATES) expect(state[predicate]()).toBe(false);
    expect(state.serialize()).toEqual(raw);
    if (!(state instanceof UnknownState)) throw new Error('expected UnknownState');
    expect(state.raw).toEqual(raw);
    expect(state.toString()).toBe('<UnknownState(Crashed): "The process died">');
    expect(state.color).toBe('#696969');
  });

  it('treats the two never-serialized bases as unknown', () => {
    expect(deserializeState({ type: '_MetaState' })).toBeInstanceOf(UnknownState);
    expect(deserializeState({ type: 'State' })).toBeInstanceOf(UnknownState);
  });

  it.each([
    [null, '(root)'],
    ['Success', '(root)'],
    [{ message: 'no type' }, 'type'],
    [{ type: 'Success', message: 42 }, 'message'],
    [{ type: 'Scheduled', start_time: 'tomorrow' }, 'start_time'],
    [{ type: 'Retrying', run_count: -1 }, 'run_count'],
    [{ type: 'Mapped', n_map_states: 'many' }, 'n_map_states'],
  ])('rejects %j with an InvalidArgumentError naming %s', (json, field) => {
    expect(() => deserializeState(json)).toThrow(InvalidArgumentError);
    expect(() => deserializeState(json)).toThrow(field);
  });

  it('records the history timestamp exactly', () => {
    const state = deserializeState({ type: 'Running' }, { timestamp: '1978-03-08T22:30:01.123456+00:00' });
    expect(state.timestamp?.toISOString()).toBe('1978-03-08T22:30:01.123Z');
    expect(state.timestampRaw).toBe('1978-03-08T22:30:01.123456+00:00');
  });
});
