// What runview ships is what its clients send: every operation of the main entry is sent by
// core, the CLI or the dashboard (their src: not their tests, not the benchmarks), and no
// client src uses an operation from another entry (bench, testing, conformance, simulator),
// so `runview schema check` judges a server only on requests runview makes.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as bench from '../src/bench.js';
import * as conformance from '../src/conformance.js';
import { operationSources } from '../src/index.js';
import * as simulator from '../src/simulator.js';
import * as testing from '../src/testing.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT_SOURCES = ['packages/core/src', 'apps/cli/src', 'apps/dashboard/src'];
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;
/** What codegen appends to an operation's name: its document, result and variables types. */
const SUFFIXES = ['QueryVariables', 'MutationVariables', 'SubscriptionVariables', 'Document', 'Query', 'Mutation', 'Subscription'];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (SOURCE_FILE.test(entry.name)) yield path;
  }
}

/** The operation names of a generated entry's documents. */
function operationNames(entry: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const value of Object.values(entry)) {
    const definitions = (value as Partial<DocumentNode> | null)?.definitions ?? [];
    for (const definition of definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name !== undefined) names.add(definition.name.value);
    }
  }
  return names;
}

interface DocumentsImport {
  readonly entry: string;
  readonly names: readonly string[];
}

/** Every `import { ... } from '@runview/documents...'` of a source text: the entry and the names. */
function documentsImports(text: string): DocumentsImport[] {
  const imports: DocumentsImport[] = [];
  for (const match of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"](@runview\/documents(?:\/[\w.-]+)?)['"]/g)) {
    const names = (match[1] ?? '')
      .split(',')
      .map(
        (name) =>
          name
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)[0] ?? '',
      )
      .filter((name) => name !== '');
    imports.push({ entry: match[2] ?? '', names });
  }
  return imports;
}

/** The operation an imported name belongs to (`FlowRunByIdDocument` -> `FlowRunById`), if any. */
function operationOf(name: string, known: ReadonlySet<string>): string | undefined {
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && known.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length);
  }
  return undefined;
}

const shipped = new Set(operationSources().map((source) => source.name));
const elsewhere = new Map<string, Set<string>>([
  ['bench', operationNames(bench)],
  ['testing', operationNames(testing)],
  ['conformance', operationNames(conformance)],
  ['simulator', operationNames(simulator)],
]);
const everyOperation = new Set([...shipped, ...[...elsewhere.values()].flatMap((names) => [...names])]);

/** What client src imports from the documents package, file by file. */
function clientImports(): { file: string; entry: string; operation: string | undefined; name: string }[] {
  const found = [];
  for (const dir of CLIENT_SOURCES) {
    for (const file of sourceFiles(join(repoRoot, dir))) {
      for (const { entry, names } of documentsImports(readFileSync(file, 'utf8'))) {
        for (const name of names) found.push({ file: relative(repoRoot, file), entry, name, operation: operationOf(name, everyOperation) });
      }
    }
  }
  return found;
}

describe('the shipped operations', () => {
  const imports = clientImports();

  it('reads imports as written, type imports and renames included', () => {
    const text =
      "import { FlowRunByIdDocument, type FlowRunByIdQuery as Row } from '@runview/documents';\nimport type {\n  TypenameQuery,\n} from '@runview/documents/bench';";
    expect(documentsImports(text)).toEqual([
      { entry: '@runview/documents', names: ['FlowRunByIdDocument', 'FlowRunByIdQuery'] },
      { entry: '@runview/documents/bench', names: ['TypenameQuery'] },
    ]);
  });

  it('are each sent by core, the CLI or the dashboard', () => {
    const used = new Set(imports.map((found) => found.operation));
    expect([...shipped].filter((name) => !used.has(name)).sort(), 'shipped but sent by no client: move them to their own entry').toEqual([]);
  });

  it('are all that clients send', () => {
    const outside = imports.filter((found) => found.entry !== '@runview/documents' || (found.operation !== undefined && !shipped.has(found.operation)));
    expect(
      outside.map((found) => `${found.file}: ${found.name} from ${found.entry}`),
      'a client sends an operation runview does not ship',
    ).toEqual([]);
  });

  it('share no name with the other entries', () => {
    for (const [entry, names] of elsewhere) {
      expect(
        [...names].filter((name) => shipped.has(name)),
        entry,
      ).toEqual([]);
    }
  });
});
