// The packages as an internal app gets them: @runview/prefect, @runview/documents, @runview/drift
// and @runview/core packed with `npm pack`, installed from the tarballs into a fresh project outside
// the workspace, type-checked with the workspace's TypeScript, and run against the server, from
// an ES module and from CommonJS (`require`, Node's require(esm)).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, sharedServer, type TestServer } from './support/server.js';

const run = promisify(execFile);
const packages = fileURLToPath(new URL('../..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

let demo: TestServer;
let project: string;

beforeAll(async () => {
  demo = await sharedServer();
  project = await mkdtemp(join(tmpdir(), 'runview-pack-'));
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const APP_TS = `
import { createClient, FlowRunView, NotFoundError, isRunviewError, type RunviewClient, type State } from '@runview/core';
import { FlowRunByIdDocument, type FlowRunByIdQuery } from '@runview/documents';

export async function walkthrough(client: RunviewClient): Promise<string[]> {
  const flowRun = await FlowRunView.fromFlowRunId('4c0101af-c6bb-4b96-8661-63a5bbfb5596', { client });
  const state: State = flowRun.state;
  const finished: boolean = state.isFinished();
  const raw: FlowRunByIdQuery = await client.query(FlowRunByIdDocument, { id: flowRun.flowRunId });
  const logs = await flowRun.getLogs();
  const levels: number[] = logs.map((log) => log.level);
  return [String(state), String(finished), String(raw.flow_run.length), levels.join(',')];
}

export function describeError(error: unknown): string {
  if (error instanceof NotFoundError) return error.resource;
  return isRunviewError(error) ? error.code : 'unknown';
}

export const client: RunviewClient = createClient({ checkSchema: 'error' });
`;

const APP_MJS = `
import { createClient, FlowRunView, NotFoundError } from '@runview/core';

const client = createClient({ checkSchema: 'error', retry: false });
const flowRun = await FlowRunView.fromFlowRunId('4c0101af-c6bb-4b96-8661-63a5bbfb5596', { client });
console.log(String(flowRun.state));
for (const log of await flowRun.getLogs()) console.log(String(log));
console.log(String(await flowRun.getFlowMetadata()));
console.log(String(await flowRun.getTaskRun({ taskSlug: 'say_hello-1' })));
console.log(JSON.stringify(await flowRun.getTaskRunIds()));
try {
  await FlowRunView.fromFlowRunId('00000000-0000-4000-8000-000000000000', { client });
} catch (error) {
  console.log(error instanceof NotFoundError ? error.code : 'unexpected ' + String(error));
}
console.log('requests', client.requestCount);
`;

// The same walk-through from CommonJS, as a `require()`-based app (or a TypeScript app compiled
// to CommonJS) runs it.
const APP_CJS = `
const { createClient, FlowRunView, NotFoundError } = require('@runview/core');
const { FlowRunsByNameDocument } = require('@runview/documents');
const { checkSchema } = require('@runview/drift');

(async () => {
  const client = createClient({ retry: false });
  const flowRun = await FlowRunView.fromFlowRunId('4c0101af-c6bb-4b96-8661-63a5bbfb5596', { client });
  console.log(String(flowRun.state));
  const data = await client.query(FlowRunsByNameDocument, { name: 'woodoo-leopard' });
  console.log(data.flow_run[0].state);
  console.log(typeof checkSchema, NotFoundError.name);
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** The fields every published package carries. */
const METADATA = ['name', 'version', 'description', 'keywords', 'homepage', 'repository', 'bugs', 'license', 'engines', 'exports'];

describe('the packed packages', () => {
  it('install from their tarballs into a fresh project, type-check, and run against the server', async () => {
    for (const name of ['prefect', 'documents', 'drift', 'core']) {
      const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', project], { cwd: join(packages, name) });
      // Each tarball carries its README and LICENSE beside the code.
      const files = (JSON.parse(packed) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path) ?? [];
      expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js']));
    }
    const tarballs = (await readdir(project)).filter((file) => file.endsWith('.tgz')).sort();
    expect(tarballs).toEqual(['runview-core-0.1.0.tgz', 'runview-documents-0.1.0.tgz', 'runview-drift-0.1.0.tgz', 'runview-prefect-0.1.0.tgz']);

    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'internal-app', private: true, type: 'module' }));
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs.map((file) => `./${file}`)], {
      cwd: project,
      env: { ...process.env, npm_config_loglevel: 'warn' },
    });
    // Every dependency supports the Node.js version the packages declare.
    expect(installed.stderr).not.toMatch(/EBADENGINE/);
    for (const name of ['core', 'documents', 'drift', 'prefect']) {
      const manifest = JSON.parse(await readFile(join(project, 'node_modules', '@runview', name, 'package.json'), 'utf8')) as Record<string, unknown>;
      for (const field of METADATA) expect(manifest[field], `${name}: ${field}`).toBeDefined();
      expect(manifest['engines']).toEqual({ node: '>=20.19' });
    }

    await writeFile(join(project, 'app.ts'), APP_TS);
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          lib: ['ES2023', 'DOM'],
          types: [],
          skipLibCheck: false,
        },
        files: ['app.ts'],
      }),
    );
    // skipLibCheck off and no Node types: the app and the declarations runview ships must
    // type-check as a browser app's would. (Third-party declarations are not ours to judge.)
    const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch((error: unknown) => error as { stdout: string });
    const ours = checked.stdout.split('\n').filter((line) => line.startsWith('app.ts') || line.startsWith('node_modules/@runview/'));
    expect(ours).toEqual([]);

    await writeFile(join(project, 'app.mjs'), APP_MJS);
    const { stdout } = await run(process.execPath, ['app.mjs'], {
      cwd: project,
      env: { ...process.env, RUNVIEW_API_URL: demo.url, RUNVIEW_API_KEY: KEYS.reader },
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('<Success: "All reference tasks succeeded.">');
    expect(lines.slice(1, 7)).toHaveLength(6);
    expect(lines[1]).toBe(
      "FlowRunLog(timestamp=DateTime(1978, 03, 08, 22, 30, 00, 000000, tzinfo=Timezone('+00:00')), level=20, message='Submitted for execution: Task XXXXXXX')",
    );
    expect(lines[7]).toBe("FlowView(flowId='8bdcf5b5-7598-49d1-a885-61612ca550de', name='hello-world', projectName='default', storageType=Module)");
    expect(lines[8]).toMatch(
      /^TaskRunView\(taskRunId='c8751f34-9d5e-4ea7-aead-8b50978dabb7', .*taskSlug='say_hello-1', state=<Success: "Task run succeeded.">/,
    );
    expect(JSON.parse(lines[9] ?? '[]')).toEqual([
      'c8751f34-9d5e-4ea7-aead-8b50978dabb7',
      'f5f422f6-4f56-45d2-bd55-5ea048070d84',
      '7cc167d3-737d-4187-85d8-d5e5a75fbd93',
    ]);
    expect(lines[10]).toBe('NOT_FOUND');
    // The schema check's introspection, then one request per call.
    expect(lines[11]).toBe('requests 7');

    await writeFile(join(project, 'app.cjs'), APP_CJS);
    const required = await run(process.execPath, ['app.cjs'], {
      cwd: project,
      env: { ...process.env, RUNVIEW_API_URL: demo.url, RUNVIEW_API_KEY: KEYS.reader },
    });
    expect(required.stdout.trim().split('\n')).toEqual(['<Success: "All reference tasks succeeded.">', 'Success', 'function NotFoundError']);
  }, 600_000);
});
