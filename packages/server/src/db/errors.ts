/** The database could not be opened: a bad spec, an unreachable server or a failed migration. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}
