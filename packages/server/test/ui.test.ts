// `--ui DIR`: a built Prefect UI folder served beside the API on the same port. A small fake
// build made here stands in for the real one: its files, index.html for the UI's routes, the
// generated settings.json, and paths that try to leave the folder or cannot be decoded. The
// API keeps POSTs, /graphql, /health and GETs that carry a query.
import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, UiDirectoryError } from '../src/index.js';
import { readServeConfig } from '../src/config.js';
import { BACKENDS } from './mutations-harness.js';
import { exchange, postJson, useWireServer } from './support/wire.js';

const INDEX_HTML = '<!DOCTYPE html><html><body><div id="app"></div><script src="/js/app.1234abcd.js"></script></body></html>\n';
const APP_JS = 'console.log("the fake Prefect UI");\n';
const SECRET = 'not for the web';

/** A parent folder with a fake UI build inside (`dist/`) and a secret file beside it. */
const parent = mkdtempSync(join(tmpdir(), 'runview-ui-'));
const dist = join(parent, 'dist');
mkdirSync(join(dist, 'js'), { recursive: true });
mkdirSync(join(dist, 'fonts'));
writeFileSync(join(dist, 'index.html'), INDEX_HTML);
writeFileSync(join(dist, 'js', 'app.1234abcd.js'), APP_JS);
writeFileSync(join(dist, 'fonts', 'fonts.css'), '@font-face { font-family: x; }\n');
// The build's own settings.json names placeholders; the server's generated one wins.
writeFileSync(join(dist, 'settings.json'), '{"server_url": "PREFECT_SERVER__APOLLO_URL", "base_url": "PREFECT_SERVER__BASE_URL"}\n');
writeFileSync(join(dist, '.env'), `TOKEN=${SECRET}\n`);
writeFileSync(join(parent, 'secret.txt'), SECRET);

afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A request with the path exactly as given (fetch would normalise `..` and `%2e%2e` away). */
function raw(origin: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

const FLOW_RUNS_QUERY = '{ flow_run(limit: 1) { id } }';

describe.each(BACKENDS)('a Prefect UI folder served beside the API ($name)', (backend) => {
  const wire = useWireServer(backend, { ui: dist });

  describe.skipIf(backend.skip)('the UI', () => {
    it('serves index.html at / and for every client-side route, revalidated on each load', async () => {
      for (const path of ['/', '/index.html', '/default', '/default/flow-run/4c0101af-c6bb-4b96-8661-63a5bbfb5596?logs', '/notifications', '/js/']) {
        const answer = await raw(wire.origin, path);
        expect({ path, status: answer.status, text: answer.text }).toEqual({ path, status: 200, text: INDEX_HTML });
        expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(answer.headers['cache-control']).toBe('no-cache');
        expect(answer.headers['x-frame-options']).toBe('DENY');
      }
    });

    it('serves its files with their types and answers a conditional GET with 304', async () => {
      const script = await exchange(`${wire.origin}/js/app.1234abcd.js`);
      expect(script.status).toBe(200);
      expect(script.text).toBe(APP_JS);
      expect(script.headers.get('content-type')).toMatch(/^(?:application|text)\/javascript/);
      expect(script.headers.get('x-content-type-options')).toBe('nosniff');
      const etag = script.headers.get('etag');
      expect(etag).not.toBeNull();
      const again = await raw(wire.origin, '/js/app.1234abcd.js', { headers: { 'if-none-match': etag ?? '' } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      const css = await exchange(`${wire.origin}/fonts/fonts.css`);
      expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    });

    it('answers HEAD with the headers and no body', async () => {
      const answer = await raw(wire.origin, '/js/app.1234abcd.js', { method: 'HEAD' });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(APP_JS)));
      expect(answer.text).toBe('');
    });

    it('answers 404 for a missing file, never index.html in its place', async () => {
      for (const path of ['/js/missing.0000.js', '/fonts/roboto-400.ttf', '/favicon.ico']) {
        const answer = await raw(wire.origin, path);
        expect({ path, status: answer.status }).toEqual({ path, status: 404 });
        expect(answer.text).not.toContain('<html');
      }
    });

    it('never serves a dotfile', async () => {
      for (const path of ['/.env', '/%2eenv', '/js/../.env']) {
        const answer = await raw(wire.origin, path);
        expect(answer.status, path).toBeGreaterThanOrEqual(400);
        expect(answer.text).not.toContain(SECRET);
      }
    });

    it('refuses paths that leave the folder (403) and malformed escapes or NUL bytes (400)', async () => {
      const leaving = [
        '/../secret.txt',
        '/js/../../secret.txt',
        '/%2e%2e/secret.txt',
        '/%2E%2E%2Fsecret.txt',
        '/js/..%2f..%2fsecret.txt',
        '/..%5csecret.txt',
        '/..\\secret.txt',
      ];
      for (const path of leaving) {
        const answer = await raw(wire.origin, path);
        expect({ path, status: answer.status }).toEqual({ path, status: 403 });
        expect(answer.text).not.toContain(SECRET);
      }
      for (const path of ['/%E0%A4%A', '/flow-run/%zz', '/%', '/index.html%00', '/js/%00../secret.txt']) {
        const answer = await raw(wire.origin, path);
        expect({ path, status: answer.status }).toEqual({ path, status: 400 });
        expect(answer.text).not.toContain(SECRET);
      }
    });

    it('generates settings.json naming the API at the origin the browser used', async () => {
      const port = new URL(wire.origin).port;
      const own = await raw(wire.origin, '/settings.json');
      expect(own.status).toBe(200);
      expect(own.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(own.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(own.text)).toEqual({ server_url: `${wire.origin}/graphql`, base_url: '/' });
      const named = await raw(wire.origin, '/settings.json', { headers: { host: `prefect.example.com:${port}` } });
      expect(JSON.parse(named.text)).toEqual({ server_url: `http://prefect.example.com:${port}/graphql`, base_url: '/' });
      const proxied = await raw(wire.origin, '/settings.json', { headers: { host: 'prefect.example.com', 'x-forwarded-proto': 'https' } });
      expect(JSON.parse(proxied.text)).toEqual({ server_url: 'https://prefect.example.com/graphql', base_url: '/' });
      // A host that is not a host[:port] is never put in the URL: the listening address is.
      const odd = await raw(wire.origin, '/settings.json', { headers: { host: 'evil.example/"x' } });
      expect(JSON.parse(odd.text)).toEqual({ server_url: `http://127.0.0.1:${port}/graphql`, base_url: '/' });
    });

    it('keeps a file the UI folder gained or lost after start: nothing is cached, nothing crashes', async () => {
      writeFileSync(join(dist, 'js', 'late.js'), 'late\n');
      expect((await exchange(`${wire.origin}/js/late.js`)).text).toBe('late\n');
      unlinkSync(join(dist, 'js', 'late.js'));
      expect((await exchange(`${wire.origin}/js/late.js`)).status).toBe(404);
      expect((await exchange(`${wire.origin}/health`)).status).toBe(200);
    });
  });

  describe.skipIf(backend.skip)('the API beside it', () => {
    it('answers POSTs on every path, settings.json and / included', async () => {
      for (const path of ['/', '/graphql', '/settings.json', '/flow-run/x']) {
        const answer = await postJson(`${wire.origin}${path}`, { query: FLOW_RUNS_QUERY });
        expect({ path, status: answer.status }).toEqual({ path, status: 200 });
        expect(answer.json).toEqual({ data: { flow_run: [] } });
      }
    });

    it('answers a GET that carries a query, on / and /graphql', async () => {
      for (const path of ['/', '/graphql', '/default']) {
        const answer = await exchange(`${wire.origin}${path}?query=${encodeURIComponent(FLOW_RUNS_QUERY)}`);
        expect({ path, json: answer.json }).toEqual({ path, json: { data: { flow_run: [] } } });
      }
    });

    it('keeps /graphql and /health for a GET without a query', async () => {
      const graphql = await exchange(`${wire.origin}/graphql`);
      expect(graphql.status).toBe(400);
      expect(graphql.text).not.toContain('<html');
      const health = await exchange(`${wire.origin}/health`);
      expect(health.json).toMatchObject({ status: 'ok' });
    });

    it('answers the UI page calling its API from the same origin', async () => {
      const answer = await postJson(`${wire.origin}/graphql`, [{ query: FLOW_RUNS_QUERY }, { query: '{ tenant { slug } }' }], {
        origin: wire.origin,
        'x-prefect-ui': 'true',
        'x-backend': 'SERVER',
      });
      expect(answer.status).toBe(200);
      expect(Array.isArray(answer.json)).toBe(true);
      expect((answer.json as unknown[])[0]).toEqual({ data: { flow_run: [] } });
    });
  });
});

describe('the --ui folder', () => {
  it('is checked before the database opens: missing, a file, or without index.html', async () => {
    await expect(createServer({ ui: join(parent, 'nowhere') })).rejects.toThrow(UiDirectoryError);
    await expect(createServer({ ui: join(parent, 'secret.txt') })).rejects.toThrow(/not a folder/);
    await expect(createServer({ ui: join(dist, 'js') })).rejects.toThrow(/no index\.html/);
  });

  it('is read from runview-server --ui', () => {
    const config = readServeConfig(['--ui', dist], {});
    expect(config.kind === 'serve' ? config.options.ui : undefined).toBe(dist);
    const none = readServeConfig([], {});
    expect(none.kind === 'serve' ? none.options.ui : 'absent').toBeUndefined();
  });
});
