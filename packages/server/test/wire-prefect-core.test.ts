// Prefect Core 1.4.1's own requests, replayed byte for byte through the real HTTP server on a
// loopback port: the recorded path (`/` included), headers and body (string `variables`,
// `"null"` when there are none, literal arguments, `ensure_ascii` escapes). Every request whose
// fields the server serves answers HTTP 200 with `data`; the ids in the recording name rows of
// the recording's database, so "not found" answers from resolvers are expected here (the
// sequences replay them in order elsewhere).
import { Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './mutations-harness.js';
import { errorCodes, exchange, prefectCoreRequests, useWireServer, type RecordedRequest, type WireAnswer } from './support/wire.js';

/**
 * Root fields that the schema has but the server does not serve yet (they answer
 * NOT_IMPLEMENTED). Remove a field when it lands: the last test fails until then.
 */
const ROOT_FIELDS_NOT_YET_SERVED = new Set<string>([]);

/** Requests refused on purpose, by number, with the code: #100 compares `id` with "not-a-uuid". */
const REFUSED_AS_BAD_INPUT = new Map([[100, 'BAD_USER_INPUT']]);

/** Codes that mean the request did not get through to a resolver, or a resolver broke. */
const NOT_SERVED_CODES = new Set(['NOT_IMPLEMENTED', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'INTERNAL_SERVER_ERROR']);

function rootFields(request: RecordedRequest): string[] {
  const { query } = JSON.parse(request.body) as { query: string };
  return parse(query)
    .definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .flatMap((operation) => operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : [])));
}

async function replay(origin: string, request: RecordedRequest): Promise<WireAnswer> {
  return exchange(`${origin}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
}

const requests = prefectCoreRequests();

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`Prefect Core 1.4.1's requests on the wire (${backend.name})`, () => {
    const wire = useWireServer(backend);
    const answers = new Map<number, WireAnswer>();

    it('sends string variables (`"null"` included) and posts to `/` as well as `/graphql`', () => {
      const bodies = requests.map((request) => JSON.parse(request.body) as { variables: unknown });
      expect(requests).toHaveLength(436);
      expect(bodies.every((body) => typeof body.variables === 'string')).toBe(true);
      expect(bodies.filter((body) => body.variables === 'null').length).toBeGreaterThan(100);
      expect(new Set(requests.map((request) => request.path))).toEqual(new Set(['/', '/graphql']));
    });

    it('answers every request the server serves with HTTP 200 and data', async () => {
      for (const request of requests) answers.set(request.n, await replay(wire.origin, request));
      const failures: string[] = [];
      for (const request of requests) {
        const answer = answers.get(request.n);
        const refusedAs = REFUSED_AS_BAD_INPUT.get(request.n);
        if (answer === undefined) throw new Error(`no answer to #${request.n}`);
        if (refusedAs !== undefined) {
          if (answer.status !== 400 || !errorCodes(answer.json).includes(refusedAs))
            failures.push(`#${request.n}: expected 400 ${refusedAs}, got ${answer.status} ${answer.text.slice(0, 200)}`);
          continue;
        }
        if (rootFields(request).some((field) => ROOT_FIELDS_NOT_YET_SERVED.has(field))) {
          if (answer.status >= 500 || answer.json === undefined) failures.push(`#${request.n}: ${answer.status} ${answer.text.slice(0, 200)}`);
          continue;
        }
        const served = answer.status === 200 && typeof answer.json === 'object' && answer.json !== null && 'data' in answer.json;
        const notServed = errorCodes(answer.json).filter((code) => NOT_SERVED_CODES.has(code));
        if (!served || notServed.length > 0) failures.push(`#${request.n} (${rootFields(request).join(', ')}): ${answer.status} ${answer.text.slice(0, 300)}`);
      }
      expect(failures).toEqual([]);
    });

    it('validates every recorded document against the schema, except the bad input recorded on purpose', () => {
      const invalid = requests
        .filter((request) => validate(wire.server.schema, parse((JSON.parse(request.body) as { query: string }).query)).length > 0)
        .map((request) => request.n);
      expect(invalid).toEqual([...REFUSED_AS_BAD_INPUT.keys()]);
    });

    it('lists in ROOT_FIELDS_NOT_YET_SERVED only fields that are still not served', () => {
      const stillNotServed = new Set<string>();
      for (const request of requests) {
        const answer = answers.get(request.n);
        const codes = errorCodes(answer?.json);
        if (answer !== undefined && (codes.includes('NOT_IMPLEMENTED') || codes.includes('GRAPHQL_VALIDATION_FAILED'))) {
          for (const field of rootFields(request)) if (ROOT_FIELDS_NOT_YET_SERVED.has(field)) stillNotServed.add(field);
        }
      }
      expect([...stillNotServed].sort()).toEqual([...ROOT_FIELDS_NOT_YET_SERVED].sort());
    });
  });
}
