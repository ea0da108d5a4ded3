// Prefect 1's own settings, read as Prefect reads them: PREFECT__SERVER__HOST + PORT,
// PREFECT__SERVER__ENDPOINT, PREFECT__BACKEND and ~/.prefect/config.toml / backend.toml, in
// Prefect's order; a path-less endpoint that answers 404 gets a hint to try /graphql.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { runMain } from './support/in-process.js';
import { SHARED_API_KEY, sharedDemoServer } from './support/server.js';

const api = sharedDemoServer('keyed');

/** An HTTP server that answers 404 everywhere and remembers the paths asked for. */
let notFound: Server;
let notFoundPort: number;
const paths: string[] = [];
let home: string;

beforeAll(async () => {
  notFound = createHttpServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    request.on('end', () => response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found'));
  });
  await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
  notFoundPort = (notFound.address() as AddressInfo).port;
  home = await mkdtemp(join(tmpdir(), 'runview-prefect-home-'));
  await mkdir(join(home, '.prefect'));
});

afterAll(async () => {
  notFound.closeAllConnections();
  await new Promise((resolve) => notFound.close(resolve));
  await rm(home, { recursive: true, force: true });
});

const writeConfig = (name: string, text: string) => writeFile(join(home, '.prefect', name), text);
const removeConfig = (name: string) => rm(join(home, '.prefect', name), { force: true });
const runs = (env: Record<string, string>) => runMain(['runs', '--name', 'woodoo-leopard', '--exact'], { env, home });

describe("Prefect's settings", () => {
  it('PREFECT__SERVER__HOST + PREFECT__SERVER__PORT name a path-less endpoint; its 404 suggests /graphql', async () => {
    paths.length = 0;
    const result = await runs({ PREFECT__SERVER__HOST: 'http://127.0.0.1', PREFECT__SERVER__PORT: String(notFoundPort) });
    expect(paths).toEqual(['/']);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `error: The API at http://127.0.0.1:${String(notFoundPort)} answered HTTP 404 (not found). Prefect Server answers at any path, other servers at /graphql: try http://127.0.0.1:${String(notFoundPort)}/graphql.\n`,
    );
  });

  it('PREFECT__SERVER__ENDPOINT, with PREFECT__CLOUD__API_KEY sent to it', async () => {
    const result = await runs({ PREFECT__SERVER__ENDPOINT: api.url, PREFECT__CLOUD__API_KEY: SHARED_API_KEY });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^woodoo-leopard\s/m);
  });

  it('~/.prefect/config.toml, then backend.toml over it, then the environment over both', async () => {
    const { port } = new URL(api.url);
    await writeConfig(
      'config.toml',
      `[server]\nhost = "http://127.0.0.1"\nport = ${port}\nendpoint = "\${server.host}:\${server.port}/graphql"\n\n[cloud]\napi_key = "${SHARED_API_KEY}"\n`,
    );
    try {
      const fromConfig = await runs({});
      expect(fromConfig.stderr).toBe('');
      expect(fromConfig.code).toBe(0);
      // `prefect backend cloud` writes backend.toml: it wins over config.toml.
      await writeConfig('backend.toml', `backend = "cloud"\n`);
      await writeConfig(
        'config.toml',
        `backend = "server"\n[server]\nendpoint = "${api.url}"\n[cloud]\nendpoint = "http://127.0.0.1:${String(notFoundPort)}"\napi_key = "${SHARED_API_KEY}"\n`,
      );
      paths.length = 0;
      const cloud = await runs({});
      expect(cloud.code).toBe(4);
      expect(paths).toEqual(['/']);
      // The environment wins over both files.
      const fromEnv = await runs({ PREFECT__BACKEND: 'server' });
      expect(fromEnv.stderr).toBe('');
      expect(fromEnv.code).toBe(0);
      // RUNVIEW_API_URL and --endpoint win over Prefect's settings.
      const explicit = await runMain(['runs', '--name', 'woodoo-leopard', '--endpoint', `http://127.0.0.1:${String(notFoundPort)}/graphql`], { home });
      expect(explicit.code).toBe(4);
    } finally {
      await removeConfig('config.toml');
      await removeConfig('backend.toml');
    }
  });

  it('a config file that is not TOML is a usage error naming the file', async () => {
    await writeConfig('config.toml', '[server\n');
    try {
      const result = await runs({});
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^error: Cannot read Prefect's settings in ${join(home, '.prefect', 'config.toml').replace(/[.]/g, '\\.')}: `));
    } finally {
      await removeConfig('config.toml');
    }
  });

  it('the binary reads them from $HOME as Prefect does', async () => {
    await writeConfig('backend.toml', `backend = "server"\n[server]\nendpoint = "${api.url}"\n`);
    try {
      const result = await runCli(['runs', '--name', 'woodoo-leopard', '--api-key', SHARED_API_KEY], { env: { HOME: home } });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      await removeConfig('backend.toml');
    }
  });
});
