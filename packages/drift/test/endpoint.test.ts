// The check over HTTP: a live endpoint serving the contract is clean, one serving a drifted
// schema fails naming the operation and field, and every way an endpoint can fail to answer
// is a DriftCheckError with the reason.
import { buildSchema, getIntrospectionQuery, graphqlSync, printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchema, contractSdl, DriftCheckError, printSchemaFromEndpoint, schemaFromSdl } from '../src/index.js';
import { driftedSchema } from './fixtures/drift-fixtures.js';
import { serveRaw, serveSchema, type RunningServer } from './support/servers.js';

const servers: RunningServer[] = [];
async function started(server: Promise<RunningServer>): Promise<RunningServer> {
  const running = await server;
  servers.push(running);
  return running;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function driftCheckError(promise: Promise<unknown>): Promise<DriftCheckError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DriftCheckError);
  return error as DriftCheckError;
}

describe('checkSchema against an endpoint', () => {
  let contractServer: RunningServer;
  beforeAll(async () => {
    contractServer = await started(serveSchema(contractSdl));
  });

  it('is clean against a server that serves the contract', async () => {
    const report = await checkSchema({ endpoint: contractServer.url });
    expect(report.target).toBe(contractServer.url);
    expect(report.brokenOperations).toEqual([]);
    expect(report.changes).toEqual([]);
    expect(report.ok('any')).toBe(true);
  });

  it('fails against a server started from a drifted schema, naming the operation and field', async () => {
    const drifted = await started(serveSchema(driftedSchema('field-removed')));
    const report = await checkSchema({ endpoint: drifted.url });
    expect(report.ok('breaking')).toBe(false);
    expect(report.brokenOperations.map((broken) => broken.operation)).toEqual(expect.arrayContaining(['FlowRunById', 'FlowRunsByNameFull']));
    expect(report.brokenOperations.find((broken) => broken.operation === 'FlowRunById')?.errors).toEqual([
      { message: 'Cannot query field "serialized_state" on type "flow_run".', path: 'flow_run.serialized_state' },
    ]);
  });

  it('sends the given headers (an API key) with the introspection request', async () => {
    const guarded = await started(serveSchema(contractSdl, { headers: { authorization: 'Bearer secret-key' } }));
    const refused = await driftCheckError(checkSchema({ endpoint: guarded.url }));
    expect(refused.code).toBe('HTTP_STATUS');
    expect(refused.message).toContain('401');
    const report = await checkSchema({ endpoint: guarded.url, headers: { authorization: 'Bearer secret-key' } });
    expect(report.ok('any')).toBe(true);
  });

  it('uses the given fetch', async () => {
    const seen: string[] = [];
    const report = await checkSchema({
      endpoint: contractServer.url,
      fetch: (input, init) => {
        seen.push(input instanceof Request ? input.url : input.toString());
        return fetch(input, init);
      },
    });
    // Once, or twice when a kept-alive connection was closed under the first try (which
    // checkSchema retries once, on a new connection): always through the given fetch.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(2);
    expect(new Set(seen)).toEqual(new Set([contractServer.url]));
    expect(report.ok('any')).toBe(true);
  });

  it('pulls the live schema as SDL that rebuilds the same schema', async () => {
    const sdl = await printSchemaFromEndpoint({ endpoint: contractServer.url });
    expect(printSchema(buildSchema(sdl))).toBe(printSchema(schemaFromSdl(contractSdl)));
    const report = await checkSchema({ schema: sdl });
    expect(report.ok('any')).toBe(true);
  });
});

describe('checkSchema from introspection JSON', () => {
  it('accepts the introspection result as an object, with or without `data`, or as JSON text', async () => {
    const server = await started(serveSchema(driftedSchema('enum-value-added')));
    const body = (await (
      await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: getIntrospectionQuery() }),
      })
    ).json()) as { data: unknown };
    for (const introspection of [body, body.data, JSON.stringify(body)]) {
      const report = await checkSchema({ introspection });
      expect(report.newEnumValues).toMatchObject([{ enum: 'order_by', value: 'random' }]);
      expect(report.newEnumValues[0]?.usedByOperations).toContain('FlowRunById');
      expect(report.target).toBe('introspection JSON');
    }
    expect((await checkSchema({ introspection: body, label: 'prefect-0.15.json' })).target).toBe('prefect-0.15.json');
  });
});

describe('typed failures', () => {
  it('rejects options that do not name exactly one source', async () => {
    expect((await driftCheckError(checkSchema({}))).code).toBe('INVALID_OPTIONS');
    expect((await driftCheckError(checkSchema({ schema: contractSdl, endpoint: 'http://127.0.0.1:1/graphql' }))).code).toBe('INVALID_OPTIONS');
  });

  it('reports an unreachable endpoint with the underlying cause', async () => {
    const closed = await serveRaw((_request, response) => response.end());
    const url = closed.url;
    await closed.close();
    const error = await driftCheckError(checkSchema({ endpoint: url }));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toContain(url);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('tries one new connection when the server drops the first under the request', async () => {
    const introspection = JSON.stringify(graphqlSync({ schema: buildSchema(contractSdl), source: getIntrospectionQuery() }));
    let requests = 0;
    const flaky = await started(
      serveRaw((request, response) => {
        requests += 1;
        if (requests === 1) request.socket.destroy();
        else response.writeHead(200, { 'content-type': 'application/json' }).end(introspection);
      }),
    );
    const report = await checkSchema({ endpoint: flaky.url });
    expect(requests).toBe(2);
    expect(report.ok('any')).toBe(true);
  });

  it('reports a server that drops every connection as unreachable, after one new try', async () => {
    let requests = 0;
    const dropping = await started(
      serveRaw((request) => {
        requests += 1;
        request.socket.destroy();
      }),
    );
    const error = await driftCheckError(checkSchema({ endpoint: dropping.url }));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toContain(dropping.url);
    expect(requests).toBe(2);
  });

  it('reports an aborted request as unreachable', async () => {
    const stalled = await started(serveRaw(() => undefined));
    const controller = new AbortController();
    const pending = checkSchema({ endpoint: stalled.url, signal: controller.signal });
    controller.abort();
    expect((await driftCheckError(pending)).code).toBe('UNREACHABLE');
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    const stalled = await started(serveRaw(() => undefined));
    const error = await driftCheckError(checkSchema({ endpoint: stalled.url, timeoutMs: 200 }));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toContain('no answer within 200 ms');
  });

  it('reports a non-2xx answer with its status and an excerpt of the body', async () => {
    const failing = await started(serveRaw((_request, response) => response.writeHead(502).end('<html>Bad gateway</html>')));
    const error = await driftCheckError(checkSchema({ endpoint: failing.url }));
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.message).toContain('HTTP 502');
    expect(error.message).toContain('Bad gateway');
  });

  it('reports a 2xx answer that is not JSON', async () => {
    const html = await started(serveRaw((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>')));
    const error = await driftCheckError(checkSchema({ endpoint: html.url }));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([200, 400])('reports introspection refused with GraphQL errors (HTTP %i)', async (status) => {
    const refusing = await started(
      serveRaw((_request, response) =>
        response
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errors: [{ message: 'GraphQL introspection is not allowed' }] })),
      ),
    );
    const error = await driftCheckError(checkSchema({ endpoint: refusing.url }));
    expect(error.code).toBe('INTROSPECTION_FAILED');
    expect(error.message).toBe(`${refusing.url} refused introspection: GraphQL introspection is not allowed`);
  });

  it('reports JSON that is not an introspection result', async () => {
    const other = await started(
      serveRaw((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { hello: 'world' } }))),
    );
    expect((await driftCheckError(checkSchema({ endpoint: other.url }))).code).toBe('BAD_INTROSPECTION');
    expect((await driftCheckError(checkSchema({ introspection: '{"__schema": ' }))).code).toBe('BAD_INTROSPECTION');
    const malformed = await driftCheckError(checkSchema({ introspection: { __schema: { types: 'none' } } }));
    expect(malformed.code).toBe('BAD_INTROSPECTION');
    expect(malformed.cause).toBeInstanceOf(Error);
  });

  it('reports SDL that does not parse or describes an invalid schema', async () => {
    const syntax = await driftCheckError(checkSchema({ schema: 'type flow_run {' }));
    expect(syntax.code).toBe('BAD_SDL');
    expect(syntax.message).toContain('Syntax Error');
    const invalid = await driftCheckError(checkSchema({ schema: 'type Query { flow_run: missing_type }' }));
    expect(invalid.code).toBe('BAD_SDL');
    expect(invalid.message).toContain('missing_type');
  });
});
