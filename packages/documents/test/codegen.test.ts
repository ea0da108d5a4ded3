// The contract is enforced when the project builds: codegen validates every operation
// against schema.graphql, and the committed output is exactly what it generates.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const codegenBin = join(repoRoot, 'node_modules/@graphql-codegen/cli/cjs/bin.js');
const workDirs: string[] = [];

/** A throwaway copy of the contract, the config and the operations (conformance probes and simulator included), to generate into. */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runview-codegen-'));
  workDirs.push(dir);
  cpSync(join(repoRoot, 'schema.graphql'), join(dir, 'schema.graphql'));
  cpSync(join(repoRoot, 'codegen.yml'), join(dir, 'codegen.yml'));
  cpSync(join(repoRoot, 'packages/documents/src/operations'), join(dir, 'packages/documents/src/operations'), { recursive: true });
  cpSync(join(repoRoot, 'packages/documents/src/conformance'), join(dir, 'packages/documents/src/conformance'), { recursive: true });
  cpSync(join(repoRoot, 'packages/documents/src/simulator'), join(dir, 'packages/documents/src/simulator'), { recursive: true });
  return dir;
}

async function generate(dir: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [codegenBin, '--config', 'codegen.yml'], {
      cwd: dir,
      // codegen stays silent under NODE_ENV=test (which vitest sets): the errors are the point here.
      env: { ...process.env, NODE_ENV: 'production', CI: 'true', NODE_PATH: join(repoRoot, 'node_modules') },
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

// codegen is a child process that takes seconds on a busy machine.
describe('codegen', { timeout: 120_000 }, () => {
  it('regenerates exactly the committed files, with no orphans', async () => {
    const dir = scratchCopy();
    const result = await generate(dir);
    expect(result.ok, result.output).toBe(true);
    const committedDir = join(repoRoot, 'packages/documents/src/__generated__');
    const freshDir = join(dir, 'packages/documents/src/__generated__');
    expect(readdirSync(committedDir).sort()).toEqual(readdirSync(freshDir).sort());
    for (const file of readdirSync(freshDir)) {
      expect(readFileSync(join(committedDir, file), 'utf8'), `${file} is stale: run npm run codegen`).toBe(
        readFileSync(join(freshDir, file), 'utf8'),
      );
    }
  });

  it('fails on an operation that names a field the schema lacks, naming the field', async () => {
    const dir = scratchCopy();
    writeFileSync(
      join(dir, 'packages/documents/src/operations/bad.graphql'),
      'query BadFlowRun($id: uuid!) {\n  flow_run_by_pk(id: $id) {\n    id\n    task_slug\n  }\n}\n',
    );
    const result = await generate(dir);
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
    const result = await generate(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('Cannot query field "serialized_state" on type "flow_run"');
  });
});
