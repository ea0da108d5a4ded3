/**
 * `runview serve`: the Prefect-Server-compatible API of @runview/server on this machine.
 */
import type { Command } from 'commander';
import { parsePort } from '../options.js';
import type { ActionRunner } from '../program.js';
import type { ServeOptions } from '../actions/serve.js';

export function registerServe(program: Command, run: ActionRunner): void {
  program
    .command('serve')
    .description('Serve the Prefect 1 API from an embedded database (or PostgreSQL) on this machine')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 4200)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--database <location>', 'a PGlite directory or a postgres:// URL (default: in memory)')
    .option('--seed <name>', 'load sample data: "demo"')
    .option('--simulate [seconds]', 'with --seed demo: start a simulated flow run every N seconds (default 20)')
    .addHelpText(
      'after',
      `
With --api-key KEY[:TENANT_ID][:read] the server requires that key; RUNVIEW_API_KEYS
adds more (comma-separated). The first line of output is the GraphQL URL. Examples:
  runview serve --seed demo
  runview serve --seed demo --simulate 30
  runview serve --port 0 --database ./runview-data --api-key s3cret`,
    )
    .action(run(async (context, options: ServeOptions) => (await import('../actions/serve.js')).serve(context, options)));
}
