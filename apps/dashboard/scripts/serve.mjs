// Serves the built dashboard (dist/) and writes its runtime settings into /config.js, so one
// build can be pointed at any API when it is started:
//   VITE_RUNVIEW_API_URL=https://prefect.example.com/graphql node scripts/serve.mjs
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * @typedef {object} ServeOptions
 * @property {string} [root] the built app (default: this package's dist/)
 * @property {string} [apiUrl] the GraphQL endpoint the page talks to
 * @property {string} [apiKey] sent by the page as a bearer token; it is visible to whoever can load the page
 * @property {string} [host]
 * @property {number} [port] 0 picks a free port
 */

/**
 * Starts the static server.
 * @param {ServeOptions} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function serveDashboard({ root = fileURLToPath(new URL('../dist', import.meta.url)), apiUrl, apiKey, host = '127.0.0.1', port = 0 } = {}) {
  const base = resolve(root);
  const indexFile = join(base, 'index.html');
  await stat(indexFile).catch(() => {
    throw new TypeError(`No built dashboard at ${base}: run \`npm run build -w apps/dashboard\` first`);
  });
  /** @type {Record<string, string>} */
  const settings = {};
  if (apiUrl) settings['apiUrl'] = apiUrl;
  if (apiKey) settings['apiKey'] = apiKey;
  const configScript = `window.__RUNVIEW__ = ${JSON.stringify(settings)};\n`;

  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.js') {
      response.writeHead(200, { 'content-type': contentTypes['.js'], 'cache-control': 'no-store' }).end(configScript);
      return;
    }
    const file = normalize(join(base, path));
    // Never serve outside the build, whatever the path says.
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end();
      return;
    }
    // Client-side routes (/runs/<id>) get the app; a missing asset gets a 404.
    const wantsPage = extname(path) === '' || (request.headers.accept ?? '').includes('text/html');
    void stat(file)
      .then((info) => (info.isFile() ? file : indexFile), () => (wantsPage ? indexFile : undefined))
      .then((target) => {
        if (target === undefined) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
          return;
        }
        const type = contentTypes[/** @type {keyof typeof contentTypes} */ (extname(target))] ?? 'application/octet-stream';
        // Hashed assets never change; the page itself must always be fresh.
        const cache = target.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
        response.writeHead(200, { 'content-type': type, 'cache-control': cache });
        if (request.method === 'HEAD') response.end();
        else createReadStream(target).pipe(response);
      });
  });

  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => { resolveListen(undefined); });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://${host}:${boundPort}`,
    port: boundPort,
    close: () => new Promise((resolveClose) => {
      server.closeAllConnections();
      server.close(() => { resolveClose(undefined); });
    }),
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const served = await serveDashboard({
    apiUrl: process.env['VITE_RUNVIEW_API_URL'],
    apiKey: process.env['VITE_RUNVIEW_API_KEY'],
    host: process.env['HOST'] ?? '127.0.0.1',
    port: Number(process.env['PORT'] ?? 4300),
  });
  console.log(`runview dashboard: ${served.url}`);
}
