/**
 * The `runview` command tree: global options, one subcommand per job, help text for each,
 * unknown options and commands rejected with a suggestion. {@link main} runs one invocation
 * against an {@link Io}, so the binary, the tests and the demo share it.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { Context, type GlobalOptions } from './context.js';
import { describeError, describeStack, errorCodeOf, exitCodeOf, type ErrorContext } from './errors.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { writeLine, type Io } from './io.js';
import { errorEnvelope } from './json/envelope.js';
import type { ActionRunner } from './commands/action.js';
import { registerCommands } from './commands/index.js';
import { SERVE_COMMAND } from './commands/serve.js';

/** The version in the package's manifest. */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

/** Reports an error: one line (or, with `--json`, one JSON document) on stderr; the stack with `--debug`. */
function reportError(io: Io, error: unknown, context: ErrorContext, flags: { json: boolean; debug: boolean }): number {
  const message = describeError(error, context);
  const exitCode = exitCodeOf(error);
  if (flags.json) writeLine(io.stderr, JSON.stringify(errorEnvelope({ code: errorCodeOf(error), exitCode, message })));
  else writeLine(io.stderr, `error: ${message}`);
  if (flags.debug) writeLine(io.stderr, describeStack(error));
  return exitCode;
}

/** Builds the program for one invocation; `exitCode` collects what the action decided. */
export function createProgram(io: Io, outcome: { exitCode: number }, argv: readonly string[] = []): Command {
  // Commander reports usage errors before any action runs: `--json` is read from argv for them.
  const json = argv.includes('--json');
  const program = new Command('runview');
  program
    .description('Inspect, follow and watch Prefect 1 flow runs (Prefect Server 1.x, Prefect Cloud 1.0, runview serve).')
    .version(cliVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(
      new Option(
        '--endpoint <url>',
        'GraphQL endpoint (env RUNVIEW_API_URL, PREFECT__CLOUD__API, PREFECT__SERVER__ENDPOINT; default http://127.0.0.1:4200/graphql)',
      ),
    )
    .addOption(new Option('--api-key <key>', 'API key, sent as a Bearer token (env RUNVIEW_API_KEY, PREFECT__CLOUD__API_KEY)'))
    .addOption(new Option('--tenant-id <id>', 'tenant id, sent as X-PREFECT-TENANT-ID (env RUNVIEW_TENANT_ID, PREFECT__CLOUD__TENANT_ID)'))
    .option('--json', 'print JSON (one document, or JSON lines for streams)')
    .option('--no-color', 'no colours (also NO_COLOR; FORCE_COLOR forces them)')
    .option('--utc', 'show times in UTC instead of local time')
    .addOption(new Option('--request-timeout <duration>', 'time budget of each API call, e.g. 10s (default 30s)'))
    .option('--debug', 'print stack traces with errors')
    .showSuggestionAfterError(true)
    .showHelpAfterError(json ? false : '(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => {
        if (!json) {
          write(text);
          return;
        }
        const message = text
          .trim()
          .replace(/^error: /, '')
          .replace(/\n/g, ' ');
        write(`${JSON.stringify(errorEnvelope({ code: 'USAGE', exitCode: EXIT.usage, message }))}\n`);
      },
    })
    .addHelpText(
      'after',
      `
Examples:
  runview serve --seed demo                       start a local API with demo data
  runview inspect 4c0101af-c6bb-4b96-8661-63a5bbfb5596
  runview runs --name woodoo-leopard
  runview logs <flow-run-id> --follow
  runview watch <flow-run-id> --timeout 10m
  runview schema check --endpoint https://your-prefect-server/graphql

Without --endpoint: RUNVIEW_API_URL, then Prefect's own settings as Prefect reads them
(~/.prefect/config.toml, ~/.prefect/backend.toml, PREFECT__CLOUD__API, PREFECT__BACKEND,
PREFECT__SERVER__ENDPOINT, PREFECT__SERVER__HOST + PREFECT__SERVER__PORT), then
http://127.0.0.1:4200/graphql.

--json prints {"version": 1, "type": …, "data": …} documents (JSON lines for logs and watch)
and errors as {"version": 1, "type": "error", "error": {code, exitCode, message}} on stderr;
the JSON Schema ships with the package (schema/runview-json.schema.json).

${EXIT_CODES_HELP}`,
    );

  const run: ActionRunner =
    (action) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const options = command.optsWithGlobals<GlobalOptions>();
      let context: Context | null = null;
      try {
        context = await Context.create(io, options);
        outcome.exitCode = (await action(context, ...(args.slice(0, -1) as never[]))) ?? 0;
      } catch (error) {
        const where = { endpoint: context?.endpointIfUsed ?? null, unsentKeyVariable: context?.unsentKeyVariable ?? null };
        outcome.exitCode = reportError(io, error, where, { json: options.json === true, debug: options.debug === true });
      } finally {
        context?.close();
      }
    };

  registerCommands(program, run);
  // The global options are listed once, in `runview --help`, not under every command.
  for (const command of program.commands) {
    command.addHelpText('after', '\nGlobal options (--endpoint, --api-key, --json, --utc, ...): see runview --help.');
  }
  return program;
}

/** Where the command's name is in `argv` (the first word that is not a global option or its value), or -1. */
function commandIndex(program: Command, argv: readonly string[]): number {
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--') return -1;
    if (!arg.startsWith('-') || arg === '-') return index;
    const option = program.options.find((candidate) => candidate.long === arg || candidate.short === arg);
    if (option !== undefined && (option.required || option.optional)) index++;
  }
  return -1;
}

/**
 * `runview serve` takes `runview-server`'s flags, read by the server package, and some of them
 * are also runview's global options with another meaning (`--api-key`, repeatable there;
 * `--request-timeout`, the server's in seconds). So everything after `serve` reaches it as
 * written, behind `--` (commander would otherwise take the global options out wherever they
 * stand), except runview's global switches (`--json`, `--debug`, `--no-color`...), which keep
 * their meaning there.
 */
export function serveArguments(program: Command, argv: readonly string[]): string[] {
  const at = commandIndex(program, argv);
  // `runview help serve` is `runview serve --help`: the flags are the server's to list.
  if (at !== -1 && argv[at] === 'help' && argv[at + 1] === SERVE_COMMAND) return [...argv.slice(0, at), SERVE_COMMAND, '--', '--help'];
  if (at === -1 || argv[at] !== SERVE_COMMAND) return [...argv];
  const switches = new Set(
    program.options.filter((option) => !option.required && !option.optional && option.long !== '--version').map((option) => option.long),
  );
  const rest = argv.slice(at + 1);
  return [...argv.slice(0, at), ...rest.filter((arg) => switches.has(arg)), SERVE_COMMAND, '--', ...rest.filter((arg) => !switches.has(arg))];
}

/** Runs one invocation (`argv` without the node and script paths) and returns its exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const outcome = { exitCode: 0 };
  const program = createProgram(io, outcome, argv);
  try {
    await program.parseAsync(serveArguments(program, argv), { from: 'user' });
  } catch (error) {
    // Commander has already written its message (an unknown option, help, the version); its
    // usage errors exit 2, as in Prefect's CLI, help and the version 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.usage;
    return reportError(io, error, { endpoint: null }, { json: argv.includes('--json'), debug: argv.includes('--debug') });
  }
  return outcome.exitCode;
}
