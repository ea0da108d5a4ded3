// The built dashboard's static server on a loopback port, over a small build of its own: the
// page, a hashed asset, the runtime settings, client-side routes, and requests that must be
// refused (a malformed escape, paths climbing out of the build, methods other than GET/HEAD).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDashboard } from '../../scripts/serve.mjs';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const PAGE = '<!doctype html><title>runview</title><div id="root"></div>';
const SCRIPT = 'console.log("app");';
const SECRET = 'not part of the build';

let dir: string;
let app: Awaited<ReturnType<typeof serveDashboard>>;

/** A request sent with its path exactly as written (fetch would normalize `..` and escapes). */
function send(path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port: app.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runview-dashboard-serve-'));
  const root = join(dir, 'dist');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), PAGE);
  await writeFile(join(root, 'assets', 'index-Ab12Cd34.js'), SCRIPT);
  await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(dir, 'secret.txt'), SECRET);
  app = await serveDashboard({ root, apiUrl: 'http://127.0.0.1:4200/graphql', apiKey: 'reader-key' });
});

afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the dashboard server', () => {
  it('serves the page, always revalidated', async () => {
    const answer = await send('/');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(PAGE);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with their type, cached for good', async () => {
    const answer = await send('/assets/index-Ab12Cd34.js');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(SCRIPT);
    expect(answer.headers['content-type']).toMatch(/^text\/javascript/);
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await send('/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a revalidation of an unchanged file with 304', async () => {
    const first = await send('/');
    const etag = first.headers['etag'];
    if (typeof etag !== 'string') throw new TypeError('no ETag');
    const again = (await send('/', { headers: { 'if-none-match': etag } })).status;
    expect(again).toBe(304);
  });

  it('writes the runtime settings into /config.js, never cached', async () => {
    const answer = await send('/config.js?v=1');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('window.__RUNVIEW__ = {"apiUrl":"http://127.0.0.1:4200/graphql","apiKey":"reader-key"};\n');
    expect(answer.headers['content-type']).toMatch(/^text\/javascript/);
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('answers client-side routes with the page', async () => {
    for (const path of ['/runs', '/runs/6e1c0e0b-6b5c-4b1f-9d7e-0c5b8f0e2a11', '/runs/by-name/nightly%20etl?tab=logs']) {
      const answer = await send(path);
      expect(answer.status, path).toBe(200);
      expect(answer.body, path).toBe(PAGE);
      expect(answer.headers['cache-control'], path).toBe('no-cache');
    }
    // A run's name may have a dot: a browser navigating there still gets the app.
    const dotted = await send('/runs/by-name/etl.daily', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(dotted.status).toBe(200);
    expect(dotted.body).toBe(PAGE);
  });

  it('answers a missing file with 404, not the page', async () => {
    const answer = await send('/assets/gone-00000000.js');
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('<div id="root">');
  });

  it('answers a malformed escape with 400 and keeps serving', async () => {
    for (const path of ['/%E0%A4%A', '/runs/%', '/assets/%ZZ.js', '/%E0%A4%A?x=1']) {
      const answer = await send(path);
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).toBe('Bad request: the path has a malformed escape');
    }
    expect((await send('/')).status).toBe(200);
  });

  it('refuses a path that climbs out of the build, however it is written', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/runs/..',
    ]) {
      for (const accept of [undefined, 'text/html']) {
        const answer = await send(path, accept === undefined ? {} : { headers: { accept } });
        expect(answer.status, path).toBe(400);
        expect(answer.body, path).toBe('Bad request: the path climbs out of the app');
      }
    }
    // A name with dots that is no `..` segment is an ordinary (missing) file.
    expect((await send('/..secret.txt')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const answer = await send('/', { method: 'POST' });
    expect(answer.status).toBe(405);
    expect(answer.headers['allow']).toBe('GET, HEAD');
    const head = await send('/assets/index-Ab12Cd34.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses to start without a build', async () => {
    await expect(serveDashboard({ root: join(dir, 'missing') })).rejects.toThrow(/No built dashboard/);
  });
});
