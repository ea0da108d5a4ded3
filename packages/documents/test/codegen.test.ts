// The contract is enforced when the project builds: codegen validates every operation
// against schema.graphql, and the committed output is exactly what it generates. codegen runs
// in this process (its programmatic API, with the project's codegen.yml), as `--check` would.
import { generate } from '@graphql-codegen/cli';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const generatedDir = join(repoRoot, 'packages/documents/src/__generated__');
const workDirs: string[] = [];

/** A throwaway copy of the contract, the config and the operations (every entry's, fragments included), to generate into. */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runview-codegen-'));
  workDirs.push(dir);
  cpSync(join(repoRoot, 'schema.graphql'), join(dir, 'schema.graphql'));
  cpSync(join(repoRoot, 'codegen.yml'), join(dir, 'codegen.yml'));
  for (const source of ['operations', 'fragments', 'conformance', 'simulator', 'bench', 'testing']) {
    cpSync(join(repoRoot, 'packages/documents/src', source), join(dir, 'packages/documents/src', source), { recursive: true });
  }
  return dir;
}

interface Generated {
  readonly ok: boolean;
  /** Generated files by path relative to `dir`, when ok. */
  readonly files: ReadonlyMap<string, string>;
  /** What codegen reported when it failed. */
  readonly output: string;
}

/** Runs codegen with `dir`'s codegen.yml, relative to `dir`, writing nothing. */
async function generateIn(dir: string): Promise<Generated> {
  const config = parseYaml(readFileSync(join(dir, 'codegen.yml'), 'utf8')) as Record<string, unknown>;
  try {
    // Plugins load from the workspace's node_modules, wherever the scratch copy lives.
    const pluginLoader = (name: string): Promise<unknown> => import(name);
    // generate() is typed `any` when asked not to write: it returns the files it would write.
    const outputs = (await generate(
      { ...config, cwd: dir, silent: true, errorsOnly: true, pluginLoader } as Parameters<typeof generate>[0],
      false,
    )) as readonly { readonly filename: string; readonly content: string }[];
    return { ok: true, files: new Map(outputs.map((file) => [relative(dir, join(dir, file.filename)), file.content])), output: '' };
  } catch (error) {
    return { ok: false, files: new Map(), output: describeError(error) };
  }
}

/** codegen throws a listr error whose `errors` carry each document's validation messages. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const nested = (error as Error & { errors?: unknown[] }).errors ?? [];
  return [error.message, ...nested.map(describeError)].join('\n');
}

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

// codegen takes seconds on a busy machine.
describe('codegen', { timeout: 120_000 }, () => {
  it('regenerates exactly the committed files, with no orphans', async () => {
    const result = await generateIn(repoRoot);
    expect(result.ok, result.output).toBe(true);
    const committed = readdirSync(generatedDir).map((file) => relative(repoRoot, join(generatedDir, file)));
    expect(committed.sort()).toEqual([...result.files.keys()].sort());
    for (const [file, content] of result.files) {
      expect(readFileSync(join(repoRoot, file), 'utf8'), `${file} is stale: run npm run codegen`).toBe(content);
    }
  });

  it('fails on an operation that names a field the schema lacks, naming the field', async () => {
    const dir = scratchCopy();
    writeFileSync(
      join(dir, 'packages/documents/src/operations/bad.graphql'),
      'query BadFlowRun($id: uuid!) {\n  flow_run_by_pk(id: $id) {\n    id\n    task_slug\n  }\n}\n',
    );
    const result = await generateIn(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Cannot query field "task_slug" on type "flow_run"');
  });

  it('fails when schema.graphql loses a field that an operation uses, naming the field', async () => {
    const dir = scratchCopy();
    const schemaPath = join(dir, 'schema.graphql');
    const schema = readFileSync(schemaPath, 'utf8');
    // Drop `serialized_state` from the flow_run object type only.
    const start = schema.indexOf('type flow_run {');
    const end = schema.indexOf('\n}', start);
    const block = schema.slice(start, end);
    const trimmed = block.replace(/\n\s*(?:"""[^"]*"""\s*)?serialized_state\(path: String\): jsonb/, '');
    expect(trimmed).not.toBe(block);
    writeFileSync(schemaPath, schema.slice(0, start) + trimmed + schema.slice(end));
    const result = await generateIn(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Cannot query field "serialized_state" on type "flow_run"');
  });
});
