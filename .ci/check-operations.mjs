// No untyped queries anywhere: every GraphQL operation lives in packages/documents as a
// .graphql file and reaches the rest of the code base as a generated TypedDocumentNode.
// This fails on a gql/graphql template tag or an operation string outside that package.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skipDirs = new Set(['node_modules', 'dist', '.turbo', 'test-output', '__generated__', '.git']);
const allowed = ['packages/documents/'];
const sourceExt = /\.(?:[cm]?[jt]sx?)$/;

const patterns = [
  { name: 'gql template tag', re: /(?<![\w./-])(?:gql|graphql)\s*`/ },
  { name: 'operation string', re: /[`'"]\s*(?:query|mutation|subscription)\b[\s\w$:!,()[\]]*\{\s*[a-z_]+\s*[({]/ },
  { name: 'parse() of GraphQL text', re: /\bparse\(\s*[`'"]\s*(?:query|mutation|subscription|\{)/ },
];

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    if (skipDirs.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (sourceExt.test(entry)) yield path;
  }
}

const offences = [];
for (const top of ['packages', 'apps', 'bench']) {
  let dir;
  try {
    dir = join(root, top);
    statSync(dir);
  } catch {
    continue;
  }
  for (const file of walk(dir)) {
    const rel = relative(root, file);
    if (allowed.some((prefix) => rel.startsWith(prefix))) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const { name, re } of patterns) {
        if (re.test(line)) offences.push(`${rel}:${index + 1}: ${name}: ${line.trim().slice(0, 120)}`);
      }
    });
  }
}

if (offences.length > 0) {
  console.error(`GraphQL text found outside packages/documents (${offences.length}):`);
  for (const offence of offences) console.error(`  ${offence}`);
  console.error('Add the operation to packages/documents/src/operations and import its generated document.');
  process.exit(1);
}
console.log('check:operations: no GraphQL text outside packages/documents');
