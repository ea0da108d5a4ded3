/**
 * @runview/server, the embedded Prefect API behind `runview serve` and the demo. It is an
 * optional peer of the CLI (it brings PGlite, tens of megabytes, that a user who only reads
 * does not need), so it is loaded here, by those commands alone, and its absence is a clear
 * error instead of a module resolution failure.
 */
import type * as ServerModule from '@runview/server';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';

/** The package's exports. */
export type ServerPackage = typeof ServerModule;

/** `runview serve` (or the demo) without @runview/server installed. */
export class ServerNotInstalledError extends CliError {
  override readonly name = 'ServerNotInstalledError';

  constructor(cause: unknown) {
    super(
      '`runview serve` needs the package @runview/server (the embedded Prefect API; it is optional, as it brings PGlite): ' +
        'install it beside the CLI (npm install -g @runview/server, or npm install @runview/server in a project).',
      { exitCode: EXIT.usage, code: 'SERVER_NOT_INSTALLED', cause },
    );
  }
}

/** Whether the import failed because @runview/server itself is missing (not a module it imports). */
function isServerMissing(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && /['"]@runview\/server['"]/.test(error.message);
}

/**
 * Loads @runview/server.
 *
 * @throws {@link ServerNotInstalledError} when it is not installed.
 */
export async function loadServer(load: () => Promise<ServerPackage> = () => import('@runview/server')): Promise<ServerPackage> {
  try {
    return await load();
  } catch (error) {
    if (isServerMissing(error)) throw new ServerNotInstalledError(error);
    throw error;
  }
}
