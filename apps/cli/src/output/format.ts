/**
 * Small value formatters shared by the commands' text output.
 */

/** `a, b` or `-` for an empty list. */
export function formatList(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : '-';
}

/** A JSON value on one line, or `-` when empty or absent. */
export function formatJsonInline(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object' && Object.keys(value).length === 0) return '-';
  return JSON.stringify(value);
}

/** `1,234`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** `3 task runs`, `1 task run`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : pluralNoun}`;
}

/** Label/value lines with the labels padded to one width. */
export function fieldLines(fields: readonly (readonly [string, string])[], palette: { readonly dim: (text: string) => string }): string[] {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${palette.dim(label.padEnd(width))}  ${value}`);
}
