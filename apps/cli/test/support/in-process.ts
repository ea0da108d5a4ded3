// Runs `runview` in this process through `main(argv, io)`, with memory streams: faster than a
// child process where the process itself is not what a test is about.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io, OutputStream } from '../../src/io.js';
import { main } from '../../src/program.js';

/** A home directory without Prefect settings, shared by the in-process runs of a test file. */
export const EMPTY_HOME = mkdtempSync(join(tmpdir(), 'runview-home-'));

export interface MainResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MainOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  /** Close stdout (as `head -N` does) after this many lines: later writes are lost. */
  readonly closeStdoutAfterLines?: number;
  readonly signal?: AbortSignal;
  /** Called with each chunk written to stderr (to wait for a line of a long-running command). */
  readonly onStderr?: (chunk: string) => void;
  /** Called with each chunk written to stdout. */
  readonly onStdout?: (chunk: string) => void;
  /** A terminal of this width instead of a pipe. */
  readonly columns?: number;
}

/** Runs one invocation in this process. */
export async function runMain(argv: readonly string[], options: MainOptions = {}): Promise<MainResult> {
  let stdout = '';
  let stderr = '';
  const closed = new AbortController();
  const limit = options.closeStdoutAfterLines;
  const out: OutputStream = {
    write(chunk: string) {
      if (closed.signal.aborted) return false;
      stdout += chunk;
      options.onStdout?.(chunk);
      if (limit !== undefined && stdout.split('\n').length - 1 >= limit) closed.abort();
      return true;
    },
    ...(options.columns === undefined ? {} : { isTTY: true, columns: options.columns }),
  };
  const io: Io = {
    stdout: out,
    stderr: {
      write(chunk: string) {
        stderr += chunk;
        options.onStderr?.(chunk);
        return true;
      },
    },
    env: { TZ: 'UTC', ...options.env },
    home: options.home ?? EMPTY_HOME,
    stdoutClosed: closed.signal,
    signal: options.signal,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
