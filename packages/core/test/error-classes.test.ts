// The error classes on their own, without a server: each names itself and its code, keeps the
// cause it was given (and adds none when given none), so a chain such as a watch's timeout over
// the abort it caused over the request that was cut reads down to the first failure.
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AmbiguousError,
  causeChain,
  InvalidArgumentError,
  isRunviewError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  TransportError,
} from '../src/index.js';

const request = { url: 'http://127.0.0.1:4200/graphql', operationName: 'FlowRunById', status: 503 };

describe('error classes', () => {
  it('name themselves and their code, and are runview errors', () => {
    const errors = [
      new NotFoundError('flow run', { id: 'x' }),
      new InvalidArgumentError('limit', 'limit must be positive'),
      new TimeoutError('too slow', { timeoutMs: 5 }),
      new AbortError('stopped'),
      new TransportError('down', { request }),
    ];
    expect(errors.map((error) => [error.name, error.code])).toEqual([
      ['NotFoundError', 'NOT_FOUND'],
      ['InvalidArgumentError', 'INVALID_ARGUMENT'],
      ['TimeoutError', 'TIMEOUT'],
      ['AbortError', 'ABORTED'],
      ['TransportError', 'TRANSPORT'],
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(isRunviewError(error)).toBe(true);
    }
    expect(isRunviewError(new Error('plain'))).toBe(false);
    expect(isRunviewError('NOT_FOUND')).toBe(false);
  });

  it('keep the cause they are given, down the chain, and add none otherwise', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const transport = new TransportError('FlowRunWatch failed', { request, cause: reset });
    const abort = new AbortError('The watch was stopped', { cause: transport });
    const timeout = new TimeoutError('Watching timed out after 5000 ms', { timeoutMs: 5000, cause: abort });
    const chain: unknown[] = [];
    for (let error: unknown = timeout; error instanceof Error; error = error.cause) chain.push(error);
    expect(chain).toEqual([timeout, abort, transport, reset]);
    expect(timeout.timeoutMs).toBe(5000);
    expect('cause' in new AbortError('no cause')).toBe(false);
    // An explicit undefined cause is still a cause (the signal's reason may be undefined).
    expect('cause' in new AbortError('undefined reason', { cause: undefined })).toBe(true);
  });

  it('describe lookups and their candidates, and freeze what they carry', () => {
    const missing = new NotFoundError('task run', { taskSlug: 'say_hello-1', mapIndex: -1 });
    expect(missing.message).toBe('No task run found where taskSlug = "say_hello-1" and mapIndex = -1.');
    expect(new NotFoundError('flow', {}).message).toBe('No flow found where nothing was given.');
    expect(Object.isFrozen(missing.lookup)).toBe(true);
    const ambiguous = new AmbiguousError(
      'flow run',
      { name: 'woodoo-leopard' },
      [
        { id: 'a', name: 'woodoo-leopard', detail: 'Success' },
        { id: 'b', name: null, detail: null },
      ],
      'Pass a flow run id instead.',
    );
    expect(ambiguous.message).toBe('Found 2 flow runs where name = "woodoo-leopard": a (woodoo-leopard, Success); b (unnamed). Pass a flow run id instead.');
    expect(Object.isFrozen(ambiguous.matches)).toBe(true);
    expect(Object.isFrozen(ambiguous.matches[0])).toBe(true);
  });

  it('carry the request they came from, a copy frozen, and what the server said', () => {
    const given = { ...request };
    const limited = new RateLimitedError('slow down', {
      request: given,
      retryAfter: 2,
      errors: [{ message: 'slow down', path: null, code: 'RATE_LIMITED', extensions: null }],
    });
    given.status = 200;
    expect(limited.request).toEqual(request);
    expect(Object.isFrozen(limited.request)).toBe(true);
    expect(limited.retryAfter).toBe(2);
    expect(limited.errors.map((info) => info.code)).toEqual(['RATE_LIMITED']);
    expect(new TransportError('down', { request }).errors).toEqual([]);
  });
});

describe('causeChain', () => {
  it('walks an error and its causes, outermost first, ending at a cause that is not an object, a loop, or the depth', () => {
    const root = new Error('connect ECONNREFUSED', { cause: 'socket closed' });
    const middle = new TypeError('fetch failed', { cause: root });
    const outer = new TransportError('The API is unreachable', { request, cause: middle });
    expect([...causeChain(outer)]).toEqual([outer, middle, root, 'socket closed']);
    const looped: { cause?: unknown } = {};
    looped.cause = { cause: looped };
    expect([...causeChain(looped)]).toHaveLength(2);
    expect([...causeChain(outer, 2)]).toEqual([outer, middle]);
    expect([...causeChain(undefined)]).toEqual([]);
    expect([...causeChain(null)]).toEqual([]);
  });
});
