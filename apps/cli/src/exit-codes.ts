/**
 * The exit codes of `runview`, one per outcome a CI gate tells apart: the flow run's own
 * outcome (0 / 1), the watch that ran out of time, and the three ways runview itself could not
 * answer (a usage error, nothing found, the API). Usage errors are 2, as in Prefect's own CLI
 * (click). They are documented in `runview --help` and the README.
 */
export const EXIT = {
  /** The command did what was asked (`watch`: the flow run ended successful). */
  success: 0,
  /** `watch`: the flow run ended Failed, Cancelled or in another unsuccessful state; `schema check`: the check failed. */
  runFailed: 1,
  /** A bad option or argument, found before any request. */
  usage: 2,
  /** No flow run, flow or task run matches the id, name or slug (or a name matches several). */
  notFound: 3,
  /** The API could not be reached, refused the credentials, answered with an error or too slowly. */
  api: 4,
  /** `watch --timeout` passed before the flow run ended. */
  timeout: 5,
  /** A bug in runview: anything not above (run again with --debug and report it). */
  internal: 70,
  /** Ctrl-C. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table printed by `runview --help`. */
export const EXIT_CODES_HELP = `Exit codes:
  0    success (watch: the flow run ended successful)
  1    watch: the flow run ended failed or cancelled; schema check: the check failed
  2    usage error: a bad option or argument
  3    not found: no flow run, flow or task run by that id, name or slug (or the name matches several)
  4    API or authentication error: unreachable, refused credentials, an API error, no answer in time
  5    watch --timeout passed before the flow run ended
  130  interrupted (Ctrl-C)`;
