/**
 * `runview inspect`.
 */
import type { Command } from 'commander';
import type { InspectOptions } from '../actions/inspect.js';
import { integerParser } from '../options.js';
import type { ActionRunner } from './action.js';
import { timestampsOption } from './follow.js';

export function registerInspect(program: Command, run: ActionRunner): void {
  program
    .command('inspect')
    .description('Show a flow run: its state, times, labels, parameters, flow, task runs and last log lines')
    .argument('[flow-run-id]', 'the flow run id (a uuid)')
    .option('-n, --name <name>', 'the flow run by name: exact, or the only one whose name contains it')
    .option('--expand', 'list the children of mapped tasks instead of counting them by state')
    .option('--logs <n>', 'how many of the newest log lines to show', integerParser(0), 20)
    .option('--tasks <n>', 'how many task runs (unmapped and mapped parents) to list', integerParser(0), 100)
    .addOption(timestampsOption())
    .addHelpText(
      'after',
      `
One or two requests whatever the run's size (one more per mapped task with --expand).
Examples:
  runview inspect 4c0101af-c6bb-4b96-8661-63a5bbfb5596
  runview inspect --name woodoo-leopard --logs 50
  runview inspect 4c0101af-c6bb-4b96-8661-63a5bbfb5596 --json`,
    )
    .action(run(async (context, id: string | undefined, options: InspectOptions) => (await import('../actions/inspect.js')).inspect(context, id, options)));
}
