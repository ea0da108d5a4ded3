/**
 * `runview logs` and `runview watch`.
 */
import { Option, type Command } from 'commander';
import type { LogsOptions } from '../actions/logs.js';
import type { WatchOptions } from '../actions/watch.js';
import { integerParser } from '../options.js';
import type { ActionRunner } from './action.js';

/** `--timestamps`, shared by every command that prints log lines. */
export function timestampsOption(): Option {
  return new Option('--timestamps <style>', 'clock: HH:MM:SS, with the date when it changes; full: the date on every line')
    .choices(['clock', 'full'])
    .default('clock');
}

export function registerFollow(program: Command, run: ActionRunner): void {
  program
    .command('logs')
    .description("Print a flow run's logs as HH:MM:SS | LEVEL | message (local time, --utc for UTC; the date when it changes)")
    .argument('[flow-run-id]', 'the flow run id (a uuid)')
    .option('-n, --name <name>', 'the flow run by name: exact, or the only one whose name contains it')
    .option('-f, --follow', 'keep printing new lines until the run ends')
    .option('--level <level>', 'only lines at or above this level (DEBUG, INFO, WARNING, ERROR, CRITICAL)')
    .option('--task <slug>', 'only the lines of this task (its slug, e.g. say_hello-1; a mapped task: with its children)')
    .option('--map-index <n>', 'with --task: only this mapped child', integerParser(0))
    .option('--head <n>', 'only the first N lines', integerParser(0))
    .option('--tail <n>', 'only the last N lines (then new ones with --follow)', integerParser(0))
    .option('--since <time>', 'only lines since: an ISO time or a duration back from now (15m, 2h)')
    .option('--interval <duration>', 'with --follow: how often to look for new lines (default 2s)')
    .addOption(timestampsOption())
    .addHelpText(
      'after',
      `
Examples:
  runview logs 4c0101af-c6bb-4b96-8661-63a5bbfb5596
  runview logs --name cosmic-narwhal --task transform-1 --map-index 3
  runview logs <flow-run-id> --follow --level warning | head -20
  runview logs <flow-run-id> --tail 50 --utc --json`,
    )
    .action(run(async (context, id: string | undefined, options: LogsOptions) => (await import('../actions/logs.js')).logs(context, id, options)));

  program
    .command('watch')
    .description('Follow a flow run to its end: state changes, task run changes and logs as they happen')
    .argument('[flow-run-id]', 'the flow run id (a uuid)')
    .option('-n, --name <name>', 'the flow run by name: exact, or the only one whose name contains it')
    .option('--timeout <duration>', 'give up after this long (e.g. 30s, 10m, 2h): exit code 5')
    .option('--interval <duration>', 'how often to look for changes (default 2s)')
    .addOption(timestampsOption())
    .addHelpText(
      'after',
      `
Exit code 0 when the run ends successful, 1 when it ends failed or cancelled, 5 on --timeout
(3 for an unknown run, 4 when the API cannot answer). Piped into head, it stops printing but
still ends with the run's code. A spinner shows the current state and elapsed time on a
terminal (never when piped). Mapped children that arrive together are listed in map-index
order, or counted in one line when more than 4 entered the same state.
Examples:
  runview watch <flow-run-id>
  runview watch --name venomous-lemur --timeout 10m --json`,
    )
    .action(run(async (context, id: string | undefined, options: WatchOptions) => (await import('../actions/watch.js')).watch(context, id, options)));
}
