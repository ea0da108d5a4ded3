/**
 * `runview schema check` and `runview schema pull`.
 */
import { Option, type Command } from 'commander';
import type { CheckOptions } from '../actions/schema.js';
import type { ActionRunner } from './action.js';

export function registerSchema(program: Command, run: ActionRunner): void {
  const schema = program.command('schema').description('Check that an API still accepts every operation runview ships, or print its schema');
  schema
    .command('check')
    .description('Validate every shipped operation against the API at --endpoint (or a --schema file) and diff it from schema.graphql')
    .option('--schema <file>', 'check this SDL file (or introspection JSON) instead of the endpoint')
    .addOption(
      new Option('--fail-on <level>', 'what fails the check besides broken operations: breaking (used), dangerous (used) or any difference')
        .choices(['breaking', 'dangerous', 'any'])
        .default('breaking'),
    )
    .option('--all', 'list every change, including safe ones and those no operation uses')
    .addHelpText(
      'after',
      `
Exit code 0 when the check passes, 1 when it fails (or the schema cannot be read).
Examples:
  runview schema check --endpoint https://your-prefect-server/graphql
  runview schema check --schema schema.snapshot.graphql --fail-on dangerous --json`,
    )
    .action(run(async (context, options: CheckOptions) => (await import('../actions/schema.js')).check(context, options)));
  schema
    .command('pull')
    .description('Print the schema of the API at --endpoint as SDL')
    .addHelpText(
      'after',
      `
Example:
  runview schema pull --endpoint https://your-prefect-server/graphql > schema.snapshot.graphql`,
    )
    .action(run(async (context) => (await import('../actions/schema.js')).pull(context)));
}
