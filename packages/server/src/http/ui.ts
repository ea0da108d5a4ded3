/**
 * `--ui DIR`: a built Prefect 1 web UI (the Vue app Prefect Server ships, built from its own
 * source) served beside the API on the same port, so one server gives the UI and the API it
 * calls from the same origin.
 *
 * The API keeps every request the UI does not claim: any POST, OPTIONS and WebSocket upgrade,
 * `/graphql` and the health paths, and a GET that carries a GraphQL `query`. The UI gets the
 * other GETs and HEADs: its files, `index.html` for its client-side routes (`/flow-run/<id>`),
 * and `/settings.json`, which the UI reads at start to find its API and which is generated here.
 *
 * Files are read per request through `send` (conditional GET, ranges, no dotfiles, no `..`), so
 * rebuilding the UI while the server runs needs no restart.
 */
import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import send from 'send';
import type { Logger } from './logger.js';

/** Where the UI reads its settings at start (`{ server_url, base_url }`). */
export const UI_SETTINGS_PATH = '/settings.json';

/** Paths that stay the API's even for a GET without a query. */
const API_PATHS = new Set(['/graphql', '/health', '/healthz']);

/** The `--ui` folder is missing, not a folder, or holds no built UI (`index.html`). */
export class UiDirectoryError extends Error {
  override readonly name = 'UiDirectoryError';
}

/** The absolute path of a built UI folder, checked once at start. */
export function checkUiDirectory(dir: string): string {
  const root = resolve(dir);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch (error) {
    throw new UiDirectoryError(`--ui ${dir}: no such folder`, { cause: error });
  }
  if (!isDirectory) throw new UiDirectoryError(`--ui ${dir}: not a folder`);
  try {
    if (!statSync(resolve(root, 'index.html')).isFile()) throw new UiDirectoryError(`--ui ${dir}: index.html is not a file`);
  } catch (error) {
    if (error instanceof UiDirectoryError) throw error;
    throw new UiDirectoryError(`--ui ${dir}: no index.html in it; give the folder a UI build wrote (the Prefect UI's dist/)`, { cause: error });
  }
  return root;
}

export interface UiSiteOptions {
  /** The built UI folder, as {@link checkUiDirectory} returned it. */
  readonly root: string;
  /** The API's path on this server (`/graphql`). */
  readonly graphqlPath: string;
  /** The API's URL when the request names no usable host (the listening address). */
  readonly fallbackGraphqlUrl: () => string;
  readonly logger: Logger;
}

export interface UiSite {
  /** True when the request is the UI's to answer rather than the API's. */
  claims(request: IncomingMessage): boolean;
  /** Answers a request {@link claims} returned true for. */
  serve(request: IncomingMessage, response: ServerResponse): void;
}

/** The path and query of a request target (origin-form, or absolute-form from a proxy). */
function splitTarget(target: string): { path: string; search: string } {
  let rest = target;
  if (!rest.startsWith('/')) {
    const afterScheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
    rest = afterScheme === null ? `/${rest}` : rest.slice(afterScheme[0].length) || '/';
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  return question === -1 ? { path: rest, search: '' } : { path: rest.slice(0, question), search: rest.slice(question + 1) };
}

/** Whether a query string carries a GraphQL `query` parameter (a GET operation on any path). */
function hasGraphQLQuery(search: string): boolean {
  return search !== '' && new URLSearchParams(search).has('query');
}

/** A host header fit to put in a URL: a name or address and an optional port, nothing else. */
const HOST_PATTERN = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The API's URL as the browser that asked reached this server: the same origin as the page, so
 * the UI needs no cross-origin permission whatever host or port it was opened on. Behind a TLS
 * proxy `X-Forwarded-Proto: https` keeps the page free of mixed content.
 */
function graphqlUrlFor(request: IncomingMessage, options: UiSiteOptions): string {
  const host = request.headers.host;
  if (host === undefined || !HOST_PATTERN.test(host)) return options.fallbackGraphqlUrl();
  const forwarded = request.headers['x-forwarded-proto'];
  const https = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase() === 'https';
  return `${https ? 'https' : 'http'}://${host}${options.graphqlPath}`;
}

/** A short plain-text answer (errors of the static side never render an HTML page). */
function answer(response: ServerResponse, status: number, text: string, isHead: boolean): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  response.end(isHead ? undefined : text);
}

/** A client-side route of the UI (`/flow-run/<id>`), as opposed to a missing file (`/js/x.js`). */
function isAppRoute(decodedPath: string): boolean {
  const last = decodedPath.slice(decodedPath.lastIndexOf('/') + 1);
  return !last.includes('.');
}

/** The decoded path, or why it cannot name a file under the root. */
function decodePath(path: string): { ok: true; path: string } | { ok: false; status: number; text: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { ok: false, status: 400, text: 'Bad request: the path has a malformed %-escape.\n' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, text: 'Bad request: the path holds a NUL byte.\n' };
  if (decoded.split(/[\\/]/).includes('..')) return { ok: false, status: 403, text: 'Forbidden: the path leaves the UI folder.\n' };
  return { ok: true, path: decoded };
}

export function createUiSite(options: UiSiteOptions): UiSite {
  const { root } = options;
  const sendOptions = { root, index: false, dotfiles: 'ignore', etag: true, lastModified: true } as const;

  const headers = (response: ServerResponse): void => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    // The UI runs mutations: no other site may frame it.
    response.setHeader('X-Frame-Options', 'DENY');
  };

  function sendIndex(request: IncomingMessage, response: ServerResponse, isHead: boolean): void {
    // Revalidated on every load, so a rebuilt UI is picked up; its hashed assets may be cached.
    response.setHeader('Cache-Control', 'no-cache');
    send(request, '/index.html', sendOptions)
      .on('error', (error: { status?: number }) => {
        options.logger.warn(`--ui: cannot read index.html in ${root}`);
        answer(response, error.status === 404 ? 404 : 500, 'The UI folder has no readable index.html.\n', isHead);
      })
      .pipe(response);
  }

  return {
    claims(request) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const { path, search } = splitTarget(request.url ?? '/');
      return !API_PATHS.has(path) && !path.startsWith(`${options.graphqlPath}/`) && !hasGraphQLQuery(search);
    },

    serve(request, response) {
      const isHead = request.method === 'HEAD';
      const { path } = splitTarget(request.url ?? '/');
      const decoded = decodePath(path);
      if (!decoded.ok) {
        answer(response, decoded.status, decoded.text, isHead);
        return;
      }
      headers(response);
      if (decoded.path === UI_SETTINGS_PATH) {
        const body = `${JSON.stringify({ server_url: graphqlUrlFor(request, options), base_url: '/' })}\n`;
        response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
        response.end(isHead ? undefined : body);
        return;
      }
      if (decoded.path === '/' || decoded.path === '/index.html') {
        sendIndex(request, response, isHead);
        return;
      }
      const fallback = (): void => {
        if (isAppRoute(decoded.path)) sendIndex(request, response, isHead);
        else answer(response, 404, 'Not found.\n', isHead);
      };
      send(request, path, sendOptions)
        .on('directory', fallback)
        .on('error', (error: { status?: number }) => {
          const status = error.status ?? 500;
          if (status === 404) fallback();
          else if (status >= 500) {
            options.logger.warn(`--ui: cannot read ${decoded.path} in ${root} (${String(status)})`);
            answer(response, 500, 'The file cannot be read.\n', isHead);
          } else answer(response, status, `${String(status)}\n`, isHead);
        })
        .pipe(response);
    },
  };
}
