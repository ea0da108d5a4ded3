import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client';
import {
  AbortError,
  ForbiddenError,
  GraphQLResponseError,
  NotFoundError,
  RateLimitedError,
  SchemaDriftError,
  TimeoutError,
  TransportError,
  UnauthenticatedError,
} from '@runview/core';
import { describe, expect, test } from 'vitest';
import { explainError } from '../../src/errors';

const API = 'http://127.0.0.1:4200/graphql';
const request = { url: API, operationName: 'FlowRunLogsPage', status: null };

function serverError(status: number, bodyText: string): ServerError {
  return new ServerError('Response not successful', { response: new Response(bodyText, { status }), bodyText });
}

describe("Apollo's errors (the pages' queries)", () => {
  test('a refused key names the status and where to set the key', () => {
    for (const status of [401, 403]) {
      const explained = explainError(serverError(status, ''), API);
      expect(explained.title).toBe('The API refused the request');
      expect(explained.detail).toBe(`${API} answered ${String(status)}.`);
      expect(explained.hint).toContain('VITE_RUNVIEW_API_KEY');
    }
  });

  test("another status quotes the server's first GraphQL message, else Apollo's", () => {
    const withBody = explainError(serverError(503, JSON.stringify({ errors: [{ message: 'The database is busy' }] })), API);
    expect(withBody).toMatchObject({ title: 'The API answered 503', detail: 'The database is busy' });
    expect(withBody.hint).toContain('try again');
    expect(explainError(serverError(500, '<html>oops</html>'), API).detail).toBe('Response not successful');
    expect(explainError(serverError(502, JSON.stringify({ errors: [{ message: 42 }] })), API).detail).toBe('Response not successful');
  });

  test('GraphQL errors are a rejected query, every message joined', () => {
    const error = new CombinedGraphQLErrors({ errors: [{ message: 'field "x" not found' }, { message: 'bad' }] });
    expect(explainError(error, API)).toMatchObject({ title: 'The API rejected the query', detail: 'field "x" not found; bad' });
    expect(explainError(error, API).hint).toContain('runview schema check');
  });

  test('a body that is not JSON points at the endpoint', () => {
    const error = new ServerParseError(new SyntaxError('Unexpected token <'), { response: new Response('<html>', { status: 200 }), bodyText: '<html>' });
    expect(explainError(error, API)).toMatchObject({ title: 'The API answered with something that is not GraphQL', detail: `${API} did not return JSON.` });
    expect(explainError(error, API).hint).toContain('/graphql');
  });

  test('anything else is an API that cannot be reached, naming it', () => {
    expect(explainError(new TypeError('Failed to fetch'), API)).toMatchObject({ title: 'Cannot reach the API', detail: `${API}: Failed to fetch` });
    expect(explainError('down', API).detail).toBe(`${API}: down`);
    expect(explainError(new TypeError('x'), API).hint).toContain('runview serve');
  });
});

describe("core's errors (the log stream)", () => {
  test.each([
    [new UnauthenticatedError('Bad key', { request }), 'The API refused the request', 'Bad key'],
    [new ForbiddenError('Not yours', { request }), 'The API refused the request', 'Not yours'],
    [new TransportError('connection refused', { request }), 'Cannot reach the API', `${API}: connection refused`],
    [new TimeoutError('took too long', { timeoutMs: 30_000 }), 'Cannot reach the API', `${API}: took too long`],
    [new RateLimitedError('slow down', { request, retryAfter: 3 }), 'The API is busy', 'slow down'],
    [new GraphQLResponseError('no such field', { request, data: null }), 'The API rejected the query', 'no such field'],
    [new SchemaDriftError(API, ['log.level is gone'], null), 'The API rejected the query', undefined],
    [new NotFoundError('flow run', { flowRunId: 'x' }), 'The request failed', undefined],
    [new AbortError('stopped'), 'The request failed', 'stopped'],
  ])('%s', (error, title, detail) => {
    const explained = explainError(error, API);
    expect(explained.title).toBe(title);
    expect(explained.detail).toBe(detail ?? error.message);
    expect(explained.hint).not.toBe('');
  });
});
