/**
 * `runview serve`: the Prefect-Server-compatible API of @runview/server on this machine.
 */
import type { Command } from 'commander';
import { integerParser, parsePort } from '../options.js';
import type { ActionRunner } from './action.js';
import type { ServeOptions } from '../actions/serve.js';

export function registerServe(program: Command, run: ActionRunner): void {
  program
    .command('serve')
    .description('Serve the Prefect 1 API from an embedded database (or PostgreSQL) on this machine')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 4200)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--database <location>', 'a PGlite directory or a postgres:// URL (default: in memory)')
    .option('--seed <name>', 'load sample data: "demo"')
    .option('--simulate [seconds]', 'with --seed demo: simulated flow runs, one at a time, each N seconds after the last ended (default 20)')
    .option('--simulate-runs <n>', 'with --simulate: stop after N runs', integerParser(1))
    .option(
      '--cors-origin <origins>',
      'web pages allowed to call the API: origins, "loopback" or "*"; repeatable, comma-separated (default: $RUNVIEW_CORS_ORIGIN, else loopback)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--max-connections <n>', 'most open connections (default 1024)', integerParser(1))
    .option('--max-batch <n>', 'most operations in one batched request (default 100)', integerParser(1))
    .option('--ui <dir>', 'also serve a built Prefect 1 UI from this folder on the same port (see the README)')
    .addHelpText(
      'after',
      `
With --api-key KEY[:TENANT_ID][:read] the server requires that key; RUNVIEW_API_KEYS
adds more (comma-separated). The first line of output is the GraphQL URL. Examples:
  runview serve --seed demo
  runview serve --seed demo --simulate 30
  runview serve --seed demo --ui ../prefect-ui/dist
  runview serve --port 0 --database ./runview-data --api-key s3cret`,
    )
    .action(run(async (context, options: ServeOptions) => (await import('../actions/serve.js')).serve(context, options)));
}
