/**
 * Parsers for option values, so a bad value fails before any request with a message that
 * names the option. Each throws commander's InvalidArgumentError, which commander reports
 * as `error: option '--x <n>' argument 'abc' is invalid. …`.
 */
import { InvalidArgumentError } from 'commander';

/** `isUuid`: true for a hyphenated uuid (what Prefect uses for every id). */
export { isUuid } from '@runview/prefect';

/** A whole number ≥ `min`. */
export function integerParser(min: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`Expected a whole number${min > 0 ? ` of at least ${min}` : ''}.`);
    const parsed = Number(value.trim());
    if (parsed < min) throw new InvalidArgumentError(`Expected a whole number of at least ${min}.`);
    return parsed;
  };
}
