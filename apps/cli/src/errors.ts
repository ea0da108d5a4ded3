/**
 * Errors as a person sees them: one line on stderr saying what went wrong and what to do (or
 * one JSON document with `--json`), the exit code of its kind (see exit-codes.ts), and the
 * stack only with `--debug`.
 */
import type { AnyRunviewError, ForbiddenError, RateLimitedError, TimeoutError, TransportError, UnauthenticatedError } from '@runview/core';
// The error classes alone: the rest of core loads with the command that needs it.
import { causeChain } from '@runview/core/errors';
import type { DriftCheckError } from '@runview/drift';
import { EXIT } from './exit-codes.js';

// Errors are told apart by their documented `code` rather than `instanceof`, so that printing
// one never loads the client or the drift checker (it keeps `--help` and `--version` fast).
// A record, not a list, so that a code core adds fails to compile here until it is handled.
const RUNVIEW_CODES: Readonly<Record<AnyRunviewError['code'], true>> = {
  NOT_FOUND: true,
  AMBIGUOUS: true,
  INVALID_ARGUMENT: true,
  UNAUTHENTICATED: true,
  FORBIDDEN: true,
  RATE_LIMITED: true,
  TIMEOUT: true,
  ABORTED: true,
  GRAPHQL_ERROR: true,
  TRANSPORT: true,
  INVALID_RESPONSE: true,
  RESULT_UNAVAILABLE: true,
  SCHEMA_DRIFT: true,
  RESPONSE_TOO_LARGE: true,
};

function isRunviewError(error: unknown): error is AnyRunviewError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(RUNVIEW_CODES, code);
}

function isDriftCheckError(error: unknown): error is DriftCheckError {
  return error instanceof Error && error.name === 'DriftCheckError';
}

/** An error the CLI raises itself, with the exit code it ends with. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly exitCode: number;

  /** A code for `--json` errors (`USAGE`, `NOT_FOUND`, `TIMEOUT`...). */
  readonly code: string;

  constructor(message: string, options: { exitCode?: number; code?: string; cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.exitCode = options.exitCode ?? EXIT.internal;
    this.code = options.code ?? 'CLI_ERROR';
  }
}

/** A bad option value or a missing argument, found before any request. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, exitCode: EXIT.usage, code: 'USAGE' });
  }
}

/** What the CLI knows when it renders an error. */
export interface ErrorContext {
  /** The endpoint the command talked to, when it got that far. */
  readonly endpoint: string | null;
  /**
   * An API key variable of the environment (`RUNVIEW_API_KEY`) that was set but not sent,
   * because `--endpoint` named a URL the environment did not.
   */
  readonly unsentKeyVariable?: string | null | undefined;
}

const SERVE_HINT = 'Is the API running? Start a local one with `runview serve`, or point --endpoint (RUNVIEW_API_URL) at your Prefect Server.';

/** The first system error code (`ECONNREFUSED`, `ENOTFOUND`...) in a cause chain. */
function systemCode(error: unknown): string | null {
  for (const link of causeChain(error, 6)) {
    if (typeof link !== 'object' || link === null) break;
    const { code, errors } = link as { code?: unknown; errors?: unknown };
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    // A connection tried on several addresses fails with an AggregateError of each attempt.
    if (Array.isArray(errors) && errors.length > 0) {
      const found = systemCode(errors[0]);
      if (found) return found;
    }
  }
  return null;
}

const SYSTEM_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
};

function unreachable(url: string, error: unknown): string {
  const code = systemCode(error);
  const why = code ? (SYSTEM_CODES[code] ?? code) : 'no answer';
  return `Could not reach the API at ${url} (${why}). ${SERVE_HINT}`;
}

/** One line that says what went wrong and, where it can, what to do about it. */
export function describeError(error: unknown, context: ErrorContext): string {
  if (isRunviewError(error)) return describeRunviewError(error, context);
  if (isDriftCheckError(error)) return error.code === 'UNREACHABLE' ? `${error.message}. ${SERVE_HINT}` : error.message;
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function describeRunviewError(error: AnyRunviewError, context: ErrorContext): string {
  switch (error.code) {
    case 'TRANSPORT':
      return describeTransport(error);
    case 'UNAUTHENTICATED':
      return describeUnauthenticated(error, context);
    case 'FORBIDDEN':
      return describeForbidden(error);
    case 'TIMEOUT':
      return describeTimeout(error, context);
    case 'RATE_LIMITED':
      return describeRateLimited(error);
    default:
      return error.message;
  }
}

/** True for a URL without a path (`http://localhost:4200`), as Prefect's settings give it. */
function isPathless(url: string): boolean {
  try {
    return new URL(url).pathname === '/';
  } catch {
    return false;
  }
}

function describeTransport(error: TransportError): string {
  const { status, url } = error.request;
  if (status === null) return unreachable(url, error.cause);
  // Prefect Server's Apollo answers at every path, so Prefect's settings name the server without
  // one; other servers (runview serve among them) answer GraphQL at /graphql only.
  if (status === 404 && isPathless(url))
    return `${error.message} (not found). Prefect Server answers at any path, other servers at /graphql: try ${url.replace(/\/?$/, '/graphql')}.`;
  return error.message;
}

function describeUnauthenticated(error: UnauthenticatedError, context: ErrorContext): string {
  if (context.unsentKeyVariable) {
    return `${error.message}. ${context.unsentKeyVariable} is set, but it is sent only to the endpoint the environment names, not to --endpoint: add --api-key.`;
  }
  return `${error.message}. Check --api-key (or RUNVIEW_API_KEY / PREFECT__CLOUD__API_KEY).`;
}

function describeForbidden(error: ForbiddenError): string {
  return `${error.message}. Check --api-key and --tenant-id.`;
}

function describeTimeout(error: TimeoutError, context: ErrorContext): string {
  const where = context.endpoint ? `The API at ${context.endpoint}` : 'The API';
  return `${where} did not answer within ${formatSeconds(error.timeoutMs)} (raise it with --request-timeout).`;
}

function describeRateLimited(error: RateLimitedError): string {
  return `${error.message}; try again later.`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The exit code an error ends the process with. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (isDriftCheckError(error)) return error.code === 'INVALID_OPTIONS' ? EXIT.usage : EXIT.api;
  if (!isRunviewError(error)) return EXIT.internal;
  switch (error.code) {
    case 'NOT_FOUND':
    case 'AMBIGUOUS':
      return EXIT.notFound;
    case 'INVALID_ARGUMENT':
      return EXIT.usage;
    case 'ABORTED':
      return EXIT.interrupted;
    default:
      return EXIT.api;
  }
}

/** The machine-readable code of an error, for `--json`. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof CliError) return error.code;
  if (isRunviewError(error) || isDriftCheckError(error)) return error.code;
  return 'INTERNAL';
}

/** The stack and every `cause` below it, for `--debug`. */
export function describeStack(error: unknown): string {
  const lines: string[] = [];
  for (const link of causeChain(error)) {
    const text = link instanceof Error ? (link.stack ?? `${link.name}: ${link.message}`) : JSON.stringify(link);
    lines.push(lines.length === 0 ? text : `Caused by: ${text}`);
  }
  return lines.join('\n');
}
