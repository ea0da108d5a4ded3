// Runs the built `runview` binary as a child process, the way a user does: only for what is
// about the process itself (its launcher, exit status, signals, pipes, terminal, $HOME); the
// rest of the suite runs `main()` in process (support/in-process.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
/** The committed launcher that npm links as `runview`: it imports dist/bin.js. */
export const LAUNCHER = fileURLToPath(new URL('../../bin/runview.js', import.meta.url));

if (!existsSync(BIN)) throw new Error(`The CLI is not built (${BIN} is missing): run the build first.`);

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Variables added to (or, with `undefined`, removed from) the child's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Kill the child after this long (a hung command fails the test instead of hanging it). */
  readonly timeoutMs?: number;
}

/** A home directory without Prefect's config files. */
const HOME = mkdtempSync(join(tmpdir(), 'runview-cli-home-'));

/** A predictable environment: no colour settings inherited, UTC, no endpoint, key or Prefect setting from the host. */
export function childEnv(extra: Readonly<Record<string, string | undefined>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', HOME };
  for (const name of Object.keys(env)) if (name.startsWith('PREFECT__')) env[name] = undefined;
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'COLUMNS', 'RUNVIEW_API_URL', 'RUNVIEW_API_KEY', 'RUNVIEW_TENANT_ID', 'RUNVIEW_API_KEYS']) {
    env[name] = undefined;
  }
  for (const [name, value] of Object.entries(extra)) env[name] = value;
  return env;
}

/** Starts `runview ...args` (dist/bin.js, or the launcher); the caller reads its streams. */
export function spawnCli(args: readonly string[], options: CliOptions & { readonly launcher?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, [options.launcher === true ? LAUNCHER : BIN, ...args], { env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects a child's output until it exits. */
export function completion(child: ChildProcess, timeoutMs = 90_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runview did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `runview ...args` to its end. */
export function runCli(args: readonly string[], options: CliOptions & { readonly launcher?: boolean } = {}): Promise<CliResult> {
  return completion(spawnCli(args, options), options.timeoutMs);
}

/** Resolves with the first stdout line matching `pattern` (the child keeps running). */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let errors = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms\nstdout: ${buffered}\nstderr: ${errors}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((candidate) => pattern.test(candidate));
      if (line !== undefined) {
        cleanup();
        resolve(line);
      }
    };
    const onError = (chunk: Buffer): void => {
      errors += chunk.toString('utf8');
    };
    const onExit = (): void => {
      cleanup();
      reject(new Error(`runview exited before printing ${String(pattern)}\nstdout: ${buffered}\nstderr: ${errors}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
  });
}
