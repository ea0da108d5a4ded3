#!/usr/bin/env node
// The import-cycle check of every package's lint: `check-cycles src` fails (exit 1), listing
// each cycle, when a module reaches itself again through its imports. Type-only imports count
// (a cycle through types still ties two modules' declarations into one unit), and so do
// dynamic `import()`s (loading later does not untangle two modules). Other packages are
// followed only to their boundary: each package checks its own sources.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCircular, parseDependencyTree } from 'dpdm';

const entries = process.argv.slice(2);
if (entries.length === 0 || entries.some((arg) => arg.startsWith('-'))) {
  process.stderr.write('usage: check-cycles <dir or file>...   (from a package directory, e.g. check-cycles src)\n');
  process.exit(2);
}

const cwd = process.cwd();
// The package's compiler settings resolve `./x.js` to `./x.ts`, as the compiler does.
const tsconfig = resolve(cwd, 'tsconfig.json');
const tree = await parseDependencyTree(
  entries.map((entry) => (/\.[cm]?[jt]sx?$/.test(entry) ? entry : `${entry.replace(/\/$/, '')}/**/*.{ts,tsx,js,mjs}`)),
  {
    context: cwd,
    cwd,
    transform: false,
    skipDynamicImports: false,
    exclude: /[\\/](node_modules|dist)[\\/]/,
    ...(existsSync(tsconfig) ? { tsconfig } : {}),
  },
);
if (Object.keys(tree).length === 0) {
  process.stderr.write(`check-cycles: no modules under ${entries.join(', ')}\n`);
  process.exit(2);
}
// An import left unresolved is an edge the check cannot see: fail rather than pass blind.
const unresolved = Object.values(tree)
  .flatMap((dependencies) => dependencies ?? [])
  .filter((dependency) => dependency.id === null && dependency.request.startsWith('.'));
for (const dependency of unresolved) process.stderr.write(`check-cycles: cannot resolve ${dependency.request} from ${dependency.issuer}\n`);
if (unresolved.length > 0) process.exit(2);
const cycles = parseCircular(tree, false);
for (const cycle of cycles) process.stderr.write(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}\n`);
process.exitCode = cycles.length === 0 ? 0 : 1;
