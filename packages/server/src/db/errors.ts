/** The database could not be opened: a bad spec, an unreachable server or a failed migration. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

/** The caller went away (its signal aborted) before its statement started. */
export class StatementCancelledError extends Error {
  override readonly name = 'StatementCancelledError';
  /** PostgreSQL's `query_canceled`, so that it is reported as the database's own cancellation is. */
  readonly code = '57014';

  constructor() {
    super('the caller went away before the statement started');
  }
}
