/**
 * One process per embedded data directory. PGlite holds no lock of its own, and two processes
 * writing one directory lose acknowledged rows and corrupt indexes. A lock file in the
 * directory names the process that holds it (pid and host); a second process, or a second
 * open in the same process, is refused with a message that says which process holds it. A
 * lock left by a process that no longer runs (killed, crashed) is taken over.
 *
 * Two processes that find the same stale lock at the same instant may both take it over: the
 * file is replaced atomically and each checks that its own token is the one written, which
 * narrows but cannot close that window without an operating-system lock Node does not offer.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseOpenError } from './errors.js';

export const LOCK_FILE = 'runview-server.lock';

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

export interface DataDirectoryLock {
  release(): void;
}

/** Directories this process holds, so that a second open in it is refused too. */
const held = new Set<string>();

function readLock(path: string): Partial<LockContent> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Unreadable or half written (a crash while writing): nobody can be shown to hold it.
    return {};
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dir: string, holder: Partial<LockContent>): DatabaseOpenError {
  const who =
    holder.pid === undefined
      ? 'another process'
      : `another runview-server (pid ${String(holder.pid)}${holder.host === hostname() ? '' : ` on ${String(holder.host)}`})`;
  return new DatabaseOpenError(
    `the data directory ${dir} is in use by ${who}; stop it first or use another --database (if no server uses it, remove ${join(dir, LOCK_FILE)})`,
  );
}

/**
 * Takes the lock of the data directory `dir` (creating the directory), or throws
 * {@link DatabaseOpenError} naming the process that holds it.
 */
export function lockDataDirectory(dir: string): DataDirectoryLock {
  const absolute = resolve(dir);
  if (held.has(absolute)) throw new DatabaseOpenError(`the data directory ${dir} is already open in this process`);
  mkdirSync(absolute, { recursive: true });
  const path = join(absolute, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const text = `${JSON.stringify(mine)}\n`;
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new DatabaseOpenError(`cannot lock the data directory ${dir}: ${(error as Error).message}`);
    const holder = readLock(path) ?? {};
    // Our own pid in a lock we do not hold is an earlier process's (a container restarts as pid 1).
    const stale = holder.host === mine.host && typeof holder.pid === 'number' && (holder.pid === process.pid || !isRunning(holder.pid));
    if (!stale) throw inUse(dir, holder);
    const next = `${path}.${mine.token}`;
    writeFileSync(next, text);
    renameSync(next, path);
    if (readLock(path)?.token !== mine.token) throw inUse(dir, readLock(path) ?? {});
  }
  held.add(absolute);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    held.delete(absolute);
    process.off('exit', release);
    try {
      if (readLock(path)?.token === mine.token) unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
  // A process that exits without closing (an uncaught error) lets go too; a killed one leaves a stale lock.
  process.on('exit', release);
  return { release };
}
