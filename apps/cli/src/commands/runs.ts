/**
 * `runview runs`, `runview tasks` and `runview flow`: lists and metadata.
 */
import type { Command } from 'commander';
import type { FlowOptions } from '../actions/flow.js';
import type { RunsOptions } from '../actions/runs.js';
import type { TasksOptions } from '../actions/tasks.js';
import { integerParser } from '../options.js';
import type { ActionRunner } from './action.js';

export function registerRuns(program: Command, run: ActionRunner): void {
  program
    .command('runs')
    .description('List flow runs, newest first')
    .option('-n, --name <text>', 'only runs whose name contains this (any case); those named exactly so first')
    .option('--exact', 'with --name: only runs named exactly so')
    .option('-s, --state <states>', 'only runs in these states, comma-separated (e.g. Failed,Cancelled)')
    .option('-f, --flow <name>', 'only runs of this flow')
    .option('-p, --project <name>', 'only runs of flows in this project')
    .option('--since <time>', 'only runs scheduled since: an ISO time or a duration back from now (15m, 2h, 1d)')
    .option('-l, --limit <n>', 'how many to show', integerParser(1), 20)
    .addHelpText(
      'after',
      `
Examples:
  runview runs --name woodoo-leopard
  runview runs --name cosmic --project default
  runview runs --state Failed --since 1d
  runview runs --flow etl --limit 50 --json`,
    )
    .action(run(async (context, options: RunsOptions) => (await import('../actions/runs.js')).runs(context, options)));

  program
    .command('tasks')
    .description("List a flow run's task runs, mapped children included")
    .argument('[flow-run-id]', 'the flow run id (a uuid)')
    .option('-n, --name <name>', 'the flow run by name: exact, or the only one whose name contains it')
    .option('-s, --state <state>', 'only task runs in this state')
    .addHelpText(
      'after',
      `
Example:
  runview tasks f169eb3a-5a85-44de-8622-e2c40a967a20 --state Failed
  runview tasks --name cosmic-narwhal --json`,
    )
    .action(run(async (context, id: string | undefined, options: TasksOptions) => (await import('../actions/tasks.js')).tasks(context, id, options)));

  program
    .command('flow')
    .description("Show a flow's metadata (project, storage, core version, labels) and its recent runs")
    .argument('[flow-id]', 'the flow id (a uuid)')
    .option('-n, --name <name>', 'look the flow up by name instead (archived versions excluded)')
    .option('-p, --project <project>', 'with --name: the project the flow is in')
    .option('--runs <n>', 'how many recent flow runs to list', integerParser(0), 5)
    .addHelpText(
      'after',
      `
Examples:
  runview flow --name hello-world --project default
  runview flow 8bdcf5b5-7598-49d1-a885-61612ca550de --json`,
    )
    .action(run(async (context, id: string | undefined, options: FlowOptions) => (await import('../actions/flow.js')).flow(context, id, options)));
}
