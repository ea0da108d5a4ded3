/**
 * Argument checks done before any request, so a bad id or option costs nothing and says
 * exactly what is wrong.
 */
import { isUuid } from '@runview/prefect';
import { InvalidArgumentError } from './errors.js';

export { isUuid } from '@runview/prefect';

/** A value as an error message shows it: strings quoted, anything else as written. */
function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Checks an id argument and returns it in lower case, as the API writes ids.
 *
 * @throws {@link InvalidArgumentError} when it is not a uuid.
 */
export function requireUuid(value: unknown, argument: string): string {
  if (!isUuid(value)) {
    throw new InvalidArgumentError(argument, `${argument} must be a uuid like 4c0101af-c6bb-4b96-8661-63a5bbfb5596, got ${show(value)}`);
  }
  return value.toLowerCase();
}

/** Checks a non-empty string argument (a name, a slug). */
export function requireNonEmpty(value: unknown, argument: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError(argument, `${argument} must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

/** Checks an integer argument within bounds. */
export function requireInteger(value: unknown, argument: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new InvalidArgumentError(argument, `${argument} must be an integer ${range}, got ${show(value)}`);
  }
  return value;
}
