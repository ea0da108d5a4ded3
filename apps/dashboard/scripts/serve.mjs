// Serves the built dashboard (dist/) and writes its runtime settings into /config.js, so one
// build can be pointed at any API when it is started:
//   VITE_RUNVIEW_API_URL=https://prefect.example.com/graphql node scripts/serve.mjs
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

/**
 * @typedef {object} ServeOptions
 * @property {string} [root] the built app (default: this package's dist/)
 * @property {string} [apiUrl] the GraphQL endpoint the page talks to
 * @property {string} [apiKey] sent by the page as a bearer token; it is visible to whoever can load the page
 * @property {string} [host]
 * @property {number} [port] 0 picks a free port
 */

/** Vite names every file under assets/ by its content's hash: a new build means new names. */
const ASSETS = '/assets/';

/**
 * Hashed assets never change; everything else (the page above all) is revalidated each time.
 * @param {import('node:http').ServerResponse} response
 * @param {string} pathname
 */
function setCacheHeaders(response, pathname) {
  const hashed = pathname.startsWith(ASSETS) && extname(pathname) !== '';
  response.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * Why a path cannot name a file of the build, or undefined: an escape that does not decode
 * (`/%E0%A4%A`), or a `..` segment, however it is written (`/%2e%2e/`, `..%2f`, `..\\`).
 * sirv would never serve such a path from outside the build either; refusing it says so.
 * @param {string} url
 * @returns {string | undefined}
 */
function badPath(url) {
  const end = url.search(/[?#]/);
  let path;
  try {
    path = decodeURIComponent(end === -1 ? url : url.slice(0, end));
  } catch {
    return 'the path has a malformed escape';
  }
  return path.split(/[/\\]/).includes('..') ? 'the path climbs out of the app' : undefined;
}

/**
 * Starts the static server.
 * @param {ServeOptions} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function serveDashboard({ root = fileURLToPath(new URL('../dist', import.meta.url)), apiUrl, apiKey, host = '127.0.0.1', port = 0 } = {}) {
  const base = resolve(root);
  await stat(resolve(base, 'index.html')).catch(() => {
    throw new TypeError(`No built dashboard at ${base}: run \`npm run build -w apps/dashboard\` first`);
  });
  /** @type {Record<string, string>} */
  const settings = {};
  if (apiUrl) settings['apiUrl'] = apiUrl;
  if (apiKey) settings['apiKey'] = apiKey;
  const configScript = `window.__RUNVIEW__ = ${JSON.stringify(settings)};\n`;

  // sirv lists the build's files once, at start, and serves only those: no path, however it is
  // written, reaches a file outside the build. `single` answers client-side routes (/runs/<id>)
  // with the app; a path that names a file (it has an extension) and is missing gets a 404.
  const files = sirv(base, { single: true, etag: true, setHeaders: setCacheHeaders });

  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const refusal = badPath(url);
    if (refusal !== undefined) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`Bad request: ${refusal}`);
      return;
    }
    if (url === '/config.js' || url.startsWith('/config.js?')) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(configScript);
      return;
    }
    files(request, response, () => {
      // A browser navigating (a run's name may have a dot: /runs/by-name/etl.daily) gets the app too.
      if ((request.headers.accept ?? '').includes('text/html')) {
        request.url = '/index.html';
        files(request, response, () => notFound(response));
        return;
      }
      notFound(response);
    });
  });

  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      resolveListen(undefined);
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://${host}:${boundPort}`,
    port: boundPort,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => {
          resolveClose(undefined);
        });
      }),
  };
}

/** @param {import('node:http').ServerResponse} response */
function notFound(response) {
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
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
