/**
 * What every command gets: the global options resolved once (endpoint and credentials: the
 * options, then runview's environment variables, then Prefect 1's own settings, then a local
 * server; colour, JSON, time zone), the output streams, and a client created on first use.
 */
import type * as CoreModule from '@runview/core';
import type { ConnectionSettings, RunviewClient } from '@runview/core';
import { writeLine, type Io } from './io.js';
import { envelope, type JsonType } from './json/envelope.js';
import { colorEnabled, createPalette, type Palette } from './output/color.js';
import { parseDuration } from './output/duration.js';
import { terminalWidth } from './output/table.js';

/** The global options, as commander parses them. */
export interface GlobalOptions {
  readonly endpoint?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly json?: boolean | undefined;
  readonly color?: boolean | undefined;
  readonly debug?: boolean | undefined;
  readonly utc?: boolean | undefined;
  readonly requestTimeout?: string | undefined;
}

type Core = typeof CoreModule;

/** What the client is created with: explicit values, or nothing (core reads the environment). */
interface ConnectionOptions {
  readonly url?: string;
  readonly apiKey?: string;
  readonly tenantId?: string;
}

/** The API key variables of the environment, in the order core reads them. */
const KEY_VARIABLES = ['RUNVIEW_API_KEY', 'PREFECT__CLOUD__API_KEY'] as const;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Where to connect. `--endpoint` takes only the command line's key (an environment key never
 * goes to a URL the environment did not name); `RUNVIEW_API_URL` is core's to read; otherwise
 * Prefect's own settings (environment and config files, in Prefect's order) when they name an
 * API, with runview's key variables first.
 */
async function connectionOptions(core: Core, io: Io, options: GlobalOptions): Promise<ConnectionOptions> {
  const given = {
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
  };
  if (options.endpoint !== undefined) return { url: options.endpoint, ...given };
  if (nonEmpty(io.env['RUNVIEW_API_URL']) !== undefined) return given;
  const { readPrefectSettings } = await import('./settings/prefect-files.js');
  const prefect = core.prefectApiSettings(await readPrefectSettings(io.env, io.home));
  if (prefect === null) return given;
  const apiKey = options.apiKey ?? nonEmpty(io.env['RUNVIEW_API_KEY']) ?? prefect.apiKey ?? undefined;
  const tenantId = options.tenantId ?? nonEmpty(io.env['RUNVIEW_TENANT_ID']) ?? prefect.tenantId ?? undefined;
  return { url: prefect.url, ...(apiKey === undefined ? {} : { apiKey }), ...(tenantId === undefined ? {} : { tenantId }) };
}

/** One command's view of the invocation. Create it with {@link Context.create}. */
export class Context {
  readonly io: Io;
  readonly json: boolean;
  readonly debug: boolean;
  readonly utc: boolean;
  readonly palette: Palette;
  /** The terminal width to fit tables to, or null for piped output. */
  readonly width: number | null;
  readonly #options: GlobalOptions;
  readonly #core: Core;
  readonly #connection: ConnectionOptions;
  #client: RunviewClient | null = null;

  /** Loads the client library (only commands that need it pay for it) and resolves the options. */
  static async create(io: Io, options: GlobalOptions): Promise<Context> {
    const core = await import('@runview/core');
    return new Context(io, options, core, await connectionOptions(core, io, options));
  }

  private constructor(io: Io, options: GlobalOptions, core: Core, connection: ConnectionOptions) {
    this.io = io;
    this.#options = options;
    this.#core = core;
    this.#connection = connection;
    this.json = options.json === true;
    this.debug = options.debug === true;
    this.utc = options.utc === true;
    this.palette = createPalette(!this.json && colorEnabled(io, options.color !== false));
    this.width = terminalWidth(io);
  }

  /** True when stdout is a terminal (spinners, tables cut to width). */
  get interactive(): boolean {
    return this.io.stdout.isTTY === true;
  }

  /** The endpoint the client uses (or would use): the option, then the environment, then the default. */
  get endpoint(): string {
    return this.#client?.url ?? this.#resolved().url;
  }

  /** The endpoint if the command got as far as creating a client. */
  get endpointIfUsed(): string | null {
    return this.#client?.url ?? null;
  }

  /** The `--api-key` given on the command line, without the environment fallbacks. */
  get explicitApiKey(): string | null {
    return this.#options.apiKey ?? null;
  }

  /** An environment key variable that is set but not sent, because `--endpoint` named the URL. */
  get unsentKeyVariable(): string | null {
    if (this.#options.endpoint === undefined || this.#options.apiKey !== undefined) return null;
    return KEY_VARIABLES.find((name) => nonEmpty(this.io.env[name]) !== undefined) ?? null;
  }

  /** Fires when stdout's reader has gone (`| head`): stop printing. */
  get stdoutClosed(): AbortSignal | undefined {
    return this.io.stdoutClosed;
  }

  /** True once stdout's reader has gone (a method: it changes while a command runs). */
  outputClosed(): boolean {
    return this.io.stdoutClosed?.aborted === true;
  }

  /** Headers for a request made outside the client (schema introspection). */
  authHeaders(): Record<string, string> {
    const connection = this.#resolved();
    const headers: Record<string, string> = {};
    if (connection.apiKey) headers['Authorization'] = `Bearer ${connection.apiKey}`;
    if (connection.tenantId) headers['X-PREFECT-TENANT-ID'] = connection.tenantId;
    return headers;
  }

  /** The client, created on first use. */
  client(): RunviewClient {
    if (!this.#client) {
      const timeout = this.#options.requestTimeout;
      this.#client = this.#core.createClient({
        ...this.#connection,
        env: this.io.env,
        ...(timeout === undefined ? {} : { timeoutMs: parseDuration(timeout, '--request-timeout') }),
      });
    }
    return this.#client;
  }

  #resolved(): ConnectionSettings {
    return this.#core.resolveConnection(this.#connection, this.io.env);
  }

  /** Writes a line to stdout. */
  print(line = ''): void {
    writeLine(this.io.stdout, line);
  }

  /** Writes lines to stdout. */
  printLines(lines: readonly string[]): void {
    for (const line of lines) writeLine(this.io.stdout, line);
  }

  /** Writes one JSON document in its envelope to stdout (indented on a terminal, one line when piped). */
  printJson(type: JsonType, data: unknown): void {
    writeLine(this.io.stdout, JSON.stringify(envelope(type, data), null, this.interactive ? 2 : undefined));
  }

  /** Writes one JSON line in its envelope (for streams). */
  printJsonLine(type: JsonType, data: unknown): void {
    writeLine(this.io.stdout, JSON.stringify(envelope(type, data)));
  }

  /** Writes a line to stderr. */
  warn(line: string): void {
    writeLine(this.io.stderr, line);
  }

  /** Releases the client; with `--debug`, says how many requests the command made. */
  close(): void {
    if (this.debug && this.#client) {
      const count = this.#client.requestCount;
      writeLine(this.io.stderr, `debug: ${String(count)} request${count === 1 ? '' : 's'} to ${this.#client.url}`);
    }
    this.#client?.close();
    this.#client = null;
  }
}
