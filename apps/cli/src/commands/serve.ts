/**
 * `runview serve`: the Prefect-Server-compatible API of @runview/server on this machine. Its
 * flags are `runview-server`'s, read by the server package: the command takes its arguments
 * as they are (see `serveArguments` in program.ts) and lists them with its own `--help`.
 */
import type { Command } from 'commander';
import type { ActionRunner } from './action.js';

/** The command's name: the program hands it everything that follows, untouched. */
export const SERVE_COMMAND = 'serve';

export function registerServe(program: Command, run: ActionRunner): void {
  program
    .command(SERVE_COMMAND)
    .description('Serve the Prefect 1 API from an embedded database (or PostgreSQL) on this machine (runview serve --help: its flags)')
    .argument('[flags...]', "runview-server's flags: --port, --database, --seed demo, --simulate, --api-key, the limits...")
    .helpOption(false)
    .allowUnknownOption()
    .action(run(async (context, args: string[]) => (await import('../actions/serve.js')).serve(context, args)));
}
