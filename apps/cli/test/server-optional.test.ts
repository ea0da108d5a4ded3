// @runview/server is an optional peer of the CLI: the built CLI, installed as a package whose
// dependencies are there but not @runview/server, reads from an API as usual and says what to
// install when asked to serve. (In the workspace the server is always resolvable, so the
// install is laid out here: the package's files copied, each dependency linked.)
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, completion, type CliResult } from './support/cli.js';
import { SEED_FLOW_RUN_ID, sharedDemoServer } from './support/server.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

/** Where Node finds the package `name` from the CLI's folder, as it does: the nearest node_modules holding it. */
function packageDirectory(name: string): string {
  for (let dir = PACKAGE; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed`);
  }
}

let root = '';
let launcher = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'runview-cli-no-server-'));
  const installed = join(root, 'node_modules', '@runview', 'cli');
  mkdirSync(installed, { recursive: true });
  for (const entry of ['package.json', 'bin', 'dist', 'schema']) cpSync(join(PACKAGE, entry), join(installed, entry), { recursive: true });
  // Each dependency as npm would place it beside the CLI; theirs resolve from where they really are.
  for (const name of Object.keys(manifest.dependencies)) {
    const target = packageDirectory(name);
    mkdirSync(dirname(join(root, 'node_modules', name)), { recursive: true });
    symlinkSync(target, join(root, 'node_modules', name), 'dir');
  }
  launcher = join(installed, 'bin', 'runview.js');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function run(args: readonly string[]): Promise<CliResult> {
  return completion(spawn(process.execPath, [launcher, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('@runview/server, an optional peer of the CLI', () => {
  it('is declared so: a peer marked optional, not a dependency', () => {
    expect(manifest.dependencies).not.toHaveProperty('@runview/server');
    expect(manifest.peerDependencies).toHaveProperty('@runview/server');
    expect(manifest.peerDependenciesMeta?.['@runview/server']?.optional).toBe(true);
  });

  it('is not needed to read: inspect answers from an API without it', async () => {
    const result = await run(['inspect', SEED_FLOW_RUN_ID, '--endpoint', sharedDemoServer().url]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(SEED_FLOW_RUN_ID);
  });

  it('is named, with how to install it, when serve runs without it (a usage error, 2)', async () => {
    const result = await run(['serve', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: `runview serve` needs the package @runview/server (the embedded Prefect API; it is optional, as it brings PGlite): ' +
        'install it beside the CLI (npm install -g @runview/server, or npm install @runview/server in a project).\n',
    );
    const json = await run(['serve', '--json']);
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stderr) as { error: { code: string } }).error.code).toBe('SERVER_NOT_INSTALLED');
  });
});
