/**
 * What a `jsonb` column (and a `varchar` one) can hold: PostgreSQL refuses the NUL character
 * and unpaired UTF-16 surrogates in text, and JSON nested beyond its stack depth. Values that
 * break these rules are refused up front with an error naming where they are, instead of
 * failing inside the database as an unexpected error.
 */

/** JSON nested deeper than this is refused (Prefect's states, settings and artifacts are shallow). */
export const MAX_JSON_DEPTH = 100;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store this text, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

function pathText(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${String(key)}]` : text === '' ? key : `${text}.${key}`), '');
}

/**
 * The first problem that keeps `value` out of a `jsonb` column, as `"<path>: <problem>"` (the
 * path starting at `root`), or undefined when it can be stored. Walks without recursion, so a
 * hostile depth cannot exhaust the stack before it is refused.
 */
export function unstorableJson(value: unknown, root: string): string | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [root] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path } = next;
    if (path.length - 1 > MAX_JSON_DEPTH) return `${pathText(path.slice(0, 2))}: nested deeper than ${String(MAX_JSON_DEPTH)} levels`;
    if (typeof current === 'string') {
      const problem = unstorableText(current);
      if (problem !== undefined) return `${pathText(path)}: ${problem}`;
    } else if (Array.isArray(current)) {
      current.forEach((item: unknown, index) => pending.push({ value: item, path: [...path, index] }));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const problem = unstorableText(key);
        if (problem !== undefined) return `${pathText(path)}: a key ${problem}`;
        pending.push({ value: item, path: [...path, key] });
      }
    }
  }
  return undefined;
}
