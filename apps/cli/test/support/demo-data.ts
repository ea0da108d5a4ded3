// Copies of the seeded data directory (support/global-setup.ts prepares it once per run), and
// the real API opened on one, on a loopback port. No vitest import: the global setup uses it too.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { RunviewServer } from '@runview/server';

/** The key the shared keyed server requires (see the global setup). */
export const SHARED_API_KEY = 'shared-demo-key';

/** The server's lock file: a copy must not carry it (the copy is not in use). */
const LOCK_FILE = 'runview-server.lock';

export interface DataCopy {
  readonly directory: string;
  remove(): void;
}

/** A fresh copy of `seeded`, for one server (or one `runview serve`) to own. */
export function copyDataDirectory(seeded: string): DataCopy {
  const parent = mkdtempSync(join(tmpdir(), 'runview-cli-data-'));
  const directory = join(parent, 'pgdata');
  cpSync(seeded, directory, { recursive: true, filter: (path) => basename(path) !== LOCK_FILE });
  return {
    directory,
    remove: () => {
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

export interface DemoServer {
  readonly server: RunviewServer;
  readonly url: string;
  close(): Promise<void>;
}

/** The API on its own copy of `seeded`, listening on a free loopback port; `close` removes the copy. */
export async function startServerOnCopy(seeded: string, options: { apiKeys?: readonly string[] } = {}): Promise<DemoServer> {
  const data = copyDataDirectory(seeded);
  try {
    // Loaded on first use: the files that only read never load the server.
    const { createServer } = await import('@runview/server');
    const server = await createServer({ database: data.directory, logger: false, ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}) });
    const { url } = await server.listen(0, '127.0.0.1');
    return {
      server,
      url,
      close: async () => {
        await server.close();
        data.remove();
      },
    };
  } catch (error) {
    data.remove();
    throw error;
  }
}
