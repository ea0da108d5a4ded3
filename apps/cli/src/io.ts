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
  /**
   * Fires when stdout is closed by its reader (`runview logs … | head -2`): commands stop
   * printing, and those that only print stop altogether.
   */
  readonly stdoutClosed?: AbortSignal | undefined;
  /** The user's home directory, where Prefect keeps `~/.prefect/config.toml` (default: the OS's). */
  readonly home?: string | undefined;
}

/**
 * The process's stdout, made quiet once its reader has gone: an `EPIPE` (the other end of a
 * pipe closed, as `head` does) fires `closed` instead of crashing the process, and later
 * writes are dropped.
 */
function closableStdout(): { stream: OutputStream; closed: AbortSignal } {
  const closed = new AbortController();
  const stdout = process.stdout;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed.abort(error);
    else throw error;
  });
  const stream: OutputStream = {
    write: (chunk: string) => (closed.signal.aborted ? false : stdout.write(chunk)),
    get isTTY() {
      return stdout.isTTY;
    },
    get columns() {
      return stdout.columns;
    },
  };
  return { stream, closed: closed.signal };
}

/** The real process: its streams, environment and an interrupt signal. */
export function processIo(signal?: AbortSignal): Io {
  const stdout = closableStdout();
  return { stdout: stdout.stream, stdoutClosed: stdout.closed, stderr: process.stderr, env: process.env, signal };
}

/** Writes one line (a newline is added). */
export function writeLine(stream: OutputStream, line = ''): void {
  stream.write(`${line}\n`);
}
