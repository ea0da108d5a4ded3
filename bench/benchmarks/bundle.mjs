// @ts-check
/**
 * 8. Browser bundle: what a web page loads to read one flow run with `@runview/core`
 * (`createClient` + `FlowRunView.fromFlowRunId`), bundled by esbuild for the browser, minified,
 * gzipped.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { num } from '../lib/measure.mjs';

export const title = 'Browser bundle';

export const method =
  "**8. Browser bundle.** A one-line page script, `import { createClient, FlowRunView } from '@runview/core'` calling " +
  '`FlowRunView.fromFlowRunId`, bundled with esbuild for the browser (ESM, minified, code splitting on, the built packages ' +
  'as published); the figure is the gzip size of what the page loads before its first request: the entry and the chunks ' +
  'it imports statically. What core loads only when asked (graphql-ws and the WebSocket for a live watch, graphql-js and ' +
  '`@runview/drift` for `checkSchema`) lands in chunks of its own, listed in the details. Baseline, same run: the same ' +
  'script bundled into one file, everything core can load inlined; and the figure before the fetch transport, 237 KB gzip ' +
  '(1.14 MB minified: classic zod, Apollo Client, rxjs, graphql-js and drift loaded statically).';

/** The page script. */
const ENTRY = `import { createClient, FlowRunView } from '@runview/core';
const client = createClient({ url: 'http://127.0.0.1:4200/graphql' });
const flowRun = await FlowRunView.fromFlowRunId('4c0101af-c6bb-4b96-8661-63a5bbfb5596', { client });
console.log(flowRun.state.toString());
`;

/** The size before the fetch transport, gzip KB (issue 14's measurement). */
const BEFORE_GZIP_KB = 237;
const TARGET_GZIP_KB = 60;
const ROOT = new URL('../..', import.meta.url).pathname;

/** @param {number} bytes */
function kb(bytes) {
  return `${num(bytes / 1024, 1)} KB`;
}

/**
 * Bundles the page script; returns every output file with its sizes and what it imports.
 *
 * @param {boolean} splitting
 */
async function bundle(splitting) {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'js', sourcefile: 'page.js' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    splitting,
    outdir: '/bundle',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  /** @type {Map<string, { bytes: number, gzip: number, imports: { path: string, kind: string }[], entry: boolean, inputs: Record<string, number> }>} */
  const files = new Map();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const meta = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(`/${name}`))?.[1];
    if (meta === undefined) continue;
    files.set(name, {
      bytes: file.contents.byteLength,
      gzip: gzipSync(file.contents, { level: 9 }).byteLength,
      imports: meta.imports.map((entry) => ({ path: entry.path.slice(entry.path.lastIndexOf('/') + 1), kind: entry.kind })),
      entry: meta.entryPoint !== undefined,
      inputs: Object.fromEntries(Object.entries(meta.inputs).map(([path, input]) => [path, input.bytesInOutput])),
    });
  }
  return files;
}

/**
 * The files a page loads before running the script: the entry and its static imports, transitively.
 *
 * @param {Awaited<ReturnType<typeof bundle>>} files
 */
function staticClosure(files) {
  const entry = [...files].find(([, file]) => file.entry)?.[0];
  if (entry === undefined) throw new Error('esbuild produced no entry chunk');
  const loaded = new Set();
  const pending = [entry];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (loaded.has(name)) continue;
    loaded.add(name);
    for (const imported of files.get(name)?.imports ?? []) if (imported.kind === 'import-statement') pending.push(imported.path);
  }
  return loaded;
}

/**
 * Minified bytes per package in the given files, largest first.
 *
 * @param {Awaited<ReturnType<typeof bundle>>} files
 * @param {Set<string>} names
 */
function byPackage(files, names) {
  /** @type {Map<string, number>} */
  const sizes = new Map();
  for (const name of names) {
    for (const [path, bytes] of Object.entries(files.get(name)?.inputs ?? {})) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path) ?? /packages\/([^/]+)\//.exec(path);
      const owner = match ? (path.includes('node_modules') ? match[1] : `@runview/${match[1]}`) : 'page script';
      sizes.set(/** @type {string} */ (owner), (sizes.get(/** @type {string} */ (owner)) ?? 0) + bytes);
    }
  }
  return [...sizes].filter(([, bytes]) => bytes > 0).sort((a, b) => b[1] - a[1]);
}

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(ctx) {
  ctx.log('  bundling the page script (code splitting, then one file)');
  const split = await bundle(true);
  const loaded = staticClosure(split);
  let bytes = 0;
  let gzip = 0;
  for (const name of loaded) {
    bytes += split.get(name)?.bytes ?? 0;
    gzip += split.get(name)?.gzip ?? 0;
  }
  const lazy = [...split].filter(([name]) => !loaded.has(name));
  const lazyGzip = lazy.reduce((sum, [, file]) => sum + file.gzip, 0);
  const whole = [...(await bundle(false)).values()][0];
  if (whole === undefined) throw new Error('esbuild produced no one-file bundle');
  const gzipKb = gzip / 1024;
  return [
    {
      id: '8',
      what: 'Browser bundle of createClient + FlowRunView.fromFlowRunId (esbuild, minified, gzip), loaded before the first request',
      figures: `${kb(gzip)} gzip (${kb(bytes)} minified, ${loaded.size} files); loaded on demand: ${kb(lazyGzip)} gzip in ${lazy.length} chunks`,
      baseline: `one file with everything core can load: ${kb(whole.gzip)} gzip (${kb(whole.bytes)} minified); before the fetch transport: ${BEFORE_GZIP_KB} KB gzip`,
      ratio: gzip / whole.gzip,
      target: `≤ ${TARGET_GZIP_KB} KB gzip`,
      met: ctx.judge ? gzipKb <= TARGET_GZIP_KB : null,
      details: [
        `Loaded before the first request, minified bytes by package: ${byPackage(split, loaded)
          .map(([owner, size]) => `${owner} ${kb(size)}`)
          .join(', ')}.`,
        `Loaded on demand (live watch, schema check): ${byPackage(split, new Set(lazy.map(([name]) => name)))
          .slice(0, 6)
          .map(([owner, size]) => `${owner} ${kb(size)}`)
          .join(', ')}.`,
        `Against the figure before the fetch transport (${BEFORE_GZIP_KB} KB gzip): ${num((gzipKb / BEFORE_GZIP_KB) * 100)}%.`,
      ],
    },
  ];
}
