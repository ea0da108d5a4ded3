/**
 * Where a command reads its environment and writes its output. The binary passes the real
 * process streams; tests and the demo pass their own, so the same code runs in-process.
 */

/** The part of a writable stream the CLI uses. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal. */
  readonly isTTY?: boolean | undefined;
  /** The terminal width, when the stream is a terminal. */
  readonly columns?: number | undefined;
}

/** The environment of one CLI invocation. */
export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Fires when the user interrupts (Ctrl-C): long-running commands stop cleanly. */
  readonly signal?: AbortSignal | undefined;
}

/** The real process: its streams, environment and an interrupt signal. */
export function processIo(signal?: AbortSignal): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, signal };
}

/** Writes one line (a newline is added). */
export function writeLine(stream: OutputStream, line = ''): void {
  stream.write(`${line}\n`);
}
