/** Where the server reports what it does; `false` silences it. */
export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const ignore = (): void => undefined;

/** Writes warnings and errors to stderr, nothing else (the default of an embedded server). */
export const quietLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: (...args) => {
    console.warn(...args);
  },
  error: (...args) => {
    console.error(...args);
  },
};

export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
