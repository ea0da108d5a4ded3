/**
 * What every command gets: the global options resolved once (endpoint and credentials with
 * createClient's environment fallbacks, colour, JSON, time zone), the output streams, and a
 * client created on first use.
 */
import type * as CoreModule from '@runview/core';
import type { ConnectionSettings, RunviewClient } from '@runview/core';
import { writeLine, type Io } from './io.js';
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
  #client: RunviewClient | null = null;

  /** Loads the client library (only commands that need it pay for it) and resolves the options. */
  static async create(io: Io, options: GlobalOptions): Promise<Context> {
    return new Context(io, options, await import('@runview/core'));
  }

  private constructor(io: Io, options: GlobalOptions, core: Core) {
    this.io = io;
    this.#options = options;
    this.#core = core;
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
    return this.#client?.url ?? this.#connection().url;
  }

  /** The endpoint if the command got as far as creating a client. */
  get endpointIfUsed(): string | null {
    return this.#client?.url ?? null;
  }

  /** The `--api-key` given on the command line, without the environment fallbacks. */
  get explicitApiKey(): string | null {
    return this.#options.apiKey ?? null;
  }

  /** Headers for a request made outside the client (schema introspection). */
  authHeaders(): Record<string, string> {
    const connection = this.#connection();
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
        ...this.#connectionOptions(),
        env: this.io.env,
        ...(timeout === undefined ? {} : { timeoutMs: parseDuration(timeout, '--request-timeout') }),
      });
    }
    return this.#client;
  }

  #connection(): ConnectionSettings {
    return this.#core.resolveConnection(this.#connectionOptions(), this.io.env);
  }

  #connectionOptions(): { url?: string; apiKey?: string; tenantId?: string } {
    const { endpoint, apiKey, tenantId } = this.#options;
    return {
      ...(endpoint === undefined ? {} : { url: endpoint }),
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(tenantId === undefined ? {} : { tenantId }),
    };
  }

  /** Writes a line to stdout. */
  print(line = ''): void {
    writeLine(this.io.stdout, line);
  }

  /** Writes lines to stdout. */
  printLines(lines: readonly string[]): void {
    for (const line of lines) writeLine(this.io.stdout, line);
  }

  /** Writes one JSON document to stdout (indented on a terminal, one line when piped). */
  printJson(value: unknown): void {
    writeLine(this.io.stdout, JSON.stringify(value, null, this.interactive ? 2 : undefined));
  }

  /** Writes one JSON line (for streams). */
  printJsonLine(value: unknown): void {
    writeLine(this.io.stdout, JSON.stringify(value));
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
