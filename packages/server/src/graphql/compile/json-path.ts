/**
 * The `path` argument of jsonb fields, in Hasura's syntax: an optional `$`, then keys joined by
 * dots, array indexes in brackets and quoted keys in brackets (`$.a.b`, `a.b`, `[0].phone`,
 * `['odd key'].x`). Returns the elements of a PostgreSQL `#>` path.
 */
import { badUserInput } from '../errors.js';

const KEY = /^[A-Za-z0-9_-]+/;
const INDEX = /^\[(\d+)\]/;
const QUOTED = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/;

function pathError(path: string): Error {
  return badUserInput(
    `parse json path error: ${path}. Accept letters, digits, underscore (_) or hyphen (-) only. Use single quotes enclosed in bracket (['...']) if there is any special character`,
  );
}

export function parseJsonPath(path: string): string[] {
  let rest = path.startsWith('$') ? path.slice(1) : path;
  const elements: string[] = [];
  let first = !path.startsWith('$');
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = INDEX.exec(rest)) !== null) {
      elements.push(match[1] ?? '');
    } else if ((match = QUOTED.exec(rest)) !== null) {
      elements.push((match[1] ?? match[2] ?? '').replace(/\\(.)/g, '$1'));
    } else {
      const dotted = rest.startsWith('.') ? rest.slice(1) : first ? rest : undefined;
      const key = dotted === undefined ? null : KEY.exec(dotted);
      if (key === null || dotted === undefined) throw pathError(path);
      elements.push(key[0]);
      rest = dotted.slice(key[0].length);
      first = false;
      continue;
    }
    rest = rest.slice(match[0].length);
    first = false;
  }
  return elements;
}
