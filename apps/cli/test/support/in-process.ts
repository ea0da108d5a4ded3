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

/** A long-running invocation (`serve`, `watch`, `logs --follow`) started in this process. */
export interface RunningMain {
  /** Settles when the command ends. */
  readonly result: Promise<MainResult>;
  /** Resolves with stdout's text so far once it matches `pattern` (rejects if the command ends first). */
  stdoutMatching(pattern: RegExp): Promise<string>;
  /** Resolves with stderr's text so far once it matches `pattern` (rejects if the command ends first). */
  stderrMatching(pattern: RegExp): Promise<string>;
  /** Interrupts it, as Ctrl-C does. */
  stop(): void;
}

/** Starts one invocation without waiting for its end: the test waits on what it prints. */
export function startMain(argv: readonly string[], options: Omit<MainOptions, 'signal' | 'onStdout' | 'onStderr'> = {}): RunningMain {
  const interrupt = new AbortController();
  const text = { stdout: '', stderr: '' };
  const waiting: { stream: 'stdout' | 'stderr'; pattern: RegExp; resolve: (text: string) => void }[] = [];
  const check = (): void => {
    for (const wait of [...waiting]) {
      if (!wait.pattern.test(text[wait.stream])) continue;
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve(text[wait.stream]);
    }
  };
  const result = runMain(argv, {
    ...options,
    signal: interrupt.signal,
    onStdout: (chunk) => {
      text.stdout += chunk;
      check();
    },
    onStderr: (chunk) => {
      text.stderr += chunk;
      check();
    },
  });
  const matching = (stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      if (pattern.test(text[stream])) {
        resolve(text[stream]);
        return;
      }
      waiting.push({ stream, pattern, resolve });
      void result.then(
        (ended) => {
          reject(
            new Error(
              `runview ${argv.join(' ')} exited ${String(ended.code)} before its ${stream} matched ${String(pattern)}\nstdout: ${ended.stdout}\nstderr: ${ended.stderr}`,
            ),
          );
        },
        (error: unknown) => {
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  return {
    result,
    stdoutMatching: (pattern) => matching('stdout', pattern),
    stderrMatching: (pattern) => matching('stderr', pattern),
    stop: () => {
      interrupt.abort('SIGINT');
    },
  };
}
