// Whatever state the server stores, this package reads back. Both check serialized states with
// the one schema of @runview/prefect (the server every field of every state, a reader its
// type's own): states in every form the API allows, and some it does not, are sent through
// set_flow_run_states to a real server on each backend; every one the server accepted must read
// back through FlowRunView as its own class with its times exact, never as an InvalidState.
import { CreateFlowRunDocument, SetFlowRunStatesDocument } from '@runview/documents/testing';
import { STATE_FIELDS, type JsonObject } from '@runview/prefect';
import { createServer, type RunviewServer } from '@runview/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  FlowRunView,
  GraphQLResponseError,
  InvalidState,
  STATE_TYPE_NAMES,
  tryParseTimestamp,
  type RunviewClient,
  type State,
} from '../src/index.js';
import { BACKENDS } from './support/backends.js';
import { DEMO } from './support/server.js';

/** Times in every form the one rule set reads (and what it does not): as a start time, an expiry. */
const TIMES = [
  '2021-05-12T17:59:56.383629+00:00',
  '2021-05-12 17:59:56.383629+00',
  '2021-05-12t17:59z',
  '2021-05-12',
  '2021-05-12T17:59:56,5Z',
  '2021-05-12T17:59:56.1234567891-05:30',
  '1890-01-01 00:00:00+00:53:28',
  '0001-01-01T00:00:00+00:00',
  '9999-12-31T23:59:59.999999+00:00',
  // Refused by both sides.
  'soon',
  '2021-02-29T00:00:00Z',
  '0000-01-01T00:00:00+00:00',
  '0001-01-01T00:00:00+05:00',
  '2021-05-12T17:59:60Z',
  '2021-05-12T17:59:56+16:00',
];

/** Values for the fields some types have: good ones, and ones no reader takes. */
const FIELD_VALUES: Record<string, readonly unknown[]> = {
  start_time: TIMES,
  cached_result_expiration: TIMES,
  run_count: [0, 3, -1, 1.5],
  loop_count: [2, 'two'],
  n_map_states: [0, 50, -2],
  cached_parameters: [{ x: [1, { y: null }] }, ['not', 'an', 'object']],
  hashed_inputs: [{ x: 'abc' }, { x: 1 }],
  state: [
    { type: 'Running', message: 'Running flow.' },
    { type: 'Scheduled', start_time: '2021-05-12 17:59:56+00' },
    { type: 'Scheduled', start_time: 'soon' },
    { type: 'NotAState' },
  ],
};

/** A state as Prefect Core writes it, with every common field. */
function fullState(type: string, extra: JsonObject = {}): JsonObject {
  return {
    type,
    message: `a ${type} state`,
    context: { tags: ['nightly'], task_run_count: 1 },
    _result: { type: 'LocalResult', location: '/results/out.prefect', dir: '/results', __version__: '1.4.1' },
    cached_inputs: { x: { type: 'PrefectResult', location: '42' } },
    __version__: '1.4.1',
    ...extra,
  };
}

function candidates(): JsonObject[] {
  const states: JsonObject[] = STATE_TYPE_NAMES.map((type) => fullState(type));
  // Each value on the types that have the field and on one that does not (which a reader ignores,
  // and the server checks all the same).
  for (const [field, values] of Object.entries(FIELD_VALUES)) {
    const types = [...STATE_TYPE_NAMES.filter((type) => (STATE_FIELDS[type] as readonly string[]).includes(field)), 'Success'];
    for (const type of types) for (const value of values) states.push(fullState(type, { [field]: value as JsonObject[string] }));
  }
  // The common fields in the forms a reader refuses, and unknown keys a reader keeps.
  states.push(
    fullState('Success', { message: 7 }),
    fullState('Success', { context: 'none' }),
    fullState('Success', { _result: { location: 'no type' } }),
    fullState('Success', { __version__: 1 }),
    fullState('Success', { __version__: null, message: null, context: null, _result: null, cached_inputs: null }),
    fullState('Failed', { a_later_prefect_field: { nested: true } }),
  );
  return states;
}

/** Writes a state to the run: undefined when stored, the server's refusal otherwise. */
async function send(client: RunviewClient, flowRunId: string, state: JsonObject): Promise<GraphQLResponseError | undefined> {
  try {
    await client.mutate(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: flowRunId, state }] } });
    return undefined;
  } catch (error) {
    if (error instanceof GraphQLResponseError) return error;
    throw error;
  }
}

/** The times a read state holds, by serialized field name, to compare with what was sent. */
function timesOf(state: State): Record<string, Date | null | undefined> {
  return {
    start_time: 'startTime' in state ? (state.startTime as Date | null) : undefined,
    cached_result_expiration: 'cachedResultExpiration' in state ? (state.cachedResultExpiration as Date | null) : undefined,
  };
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`states the server stores, read back on ${backend.name}`, () => {
    let server: RunviewServer;
    let client: RunviewClient;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const opened = await backend.open();
      drop = opened.drop;
      server = await createServer({ database: opened.database, seed: 'demo', logger: false });
      const { url } = await server.listen(0, '127.0.0.1');
      client = createClient({ url, retry: false });
    }, 180_000);

    afterAll(async () => {
      await server.close();
      await drop();
    });

    it('reads every state the server accepted as its own class, times exact, and the server refuses the rest', async () => {
      const created = await client.mutate(CreateFlowRunDocument, { input: { flow_id: DEMO.flowId } });
      const flowRunId = created.create_flow_run?.id ?? '';
      const stored: JsonObject[] = [];
      let refused = 0;
      for (const sent of candidates()) {
        const refusal = await send(client, flowRunId, sent);
        if (refusal === undefined) stored.push(sent);
        else {
          refused += 1;
          expect(refusal.errors[0]?.extensions?.['code'], JSON.stringify(sent)).toBe('BAD_USER_INPUT');
        }
      }
      // Both sides of the line are exercised: what a reader reads, and what it would refuse.
      expect(stored.length).toBeGreaterThan(100);
      expect(refused).toBeGreaterThan(50);

      // The run's history, read once: its first state (Scheduled, from its creation), then
      // every stored one in the order it was set.
      const view = await FlowRunView.fromFlowRunId(flowRunId, { client });
      const history = view.states.slice(1);
      expect(history.map((state) => state.type)).toEqual(stored.map((sent) => sent['type']));
      for (const [index, state] of history.entries()) {
        const sent = stored[index] ?? {};
        const label = JSON.stringify(sent);
        expect(state, label).not.toBeInstanceOf(InvalidState);
        expect(state.type, label).toBe(sent['type']);
        expect(state.message, label).toBe(sent['message'] ?? null);
        for (const [field, time] of Object.entries(timesOf(state))) {
          if (time === undefined || typeof sent[field] !== 'string') continue;
          expect(time?.getTime(), `${label} ${field}`).toBe(tryParseTimestamp(sent[field])?.date.getTime());
        }
        if (state.isMetaState() && typeof sent['state'] === 'object' && sent['state'] !== null) {
          expect(state.state, label).not.toBeInstanceOf(InvalidState);
          expect(state.state?.type, label).toBe((sent['state'] as JsonObject)['type']);
        }
      }
      expect(view.state.type).toBe(stored.at(-1)?.['type']);
    }, 300_000);
  });
}
