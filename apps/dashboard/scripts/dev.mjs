// `npm run dev -w apps/dashboard`: the embedded runview server with the demo data and a
// simulated live run, then Vite's dev server pointed at it. With VITE_RUNVIEW_API_URL set,
// only Vite starts, against that API.
//   --no-simulate   no simulated live runs
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const simulate = !process.argv.includes('--no-simulate');
/** @type {Array<() => Promise<unknown>>} */
const cleanups = [];
let stopping = false;

/**
 * Starts runview's embedded server on 4200 (where Prefect Server listens), or a free port.
 * @returns {Promise<string>} the GraphQL URL
 */
async function startEmbeddedServer() {
  const { createServer, startSimulatedFlowRun } = await import('@runview/server');
  const server = await createServer({ database: 'memory', seed: 'demo' });
  cleanups.push(() => server.close());
  const wanted = Number(process.env['RUNVIEW_PORT'] ?? 4200);
  const listening = await server.listen(wanted, '127.0.0.1').catch(async (/** @type {unknown} */ error) => {
    console.warn(`runview: port ${wanted} is taken (${error instanceof Error ? error.message : String(error)}); using a free port`);
    return server.listen(0, '127.0.0.1');
  });
  const url = listening.url.endsWith('/graphql') ? listening.url : new URL('/graphql', listening.url).toString();
  console.log(`runview: embedded server with demo data at ${url}`);
  if (simulate) {
    // One live run at a time, a new one shortly after the last finishes, so there is always
    // something to follow.
    const loop = async () => {
      while (!stopping) {
        const run = await startSimulatedFlowRun({ url });
        console.log(`runview: simulated flow run ${run.flowRunId} started`);
        await run.done;
        await new Promise((resolve) => setTimeout(resolve, 15_000));
      }
    };
    loop().catch((/** @type {unknown} */ error) => {
      if (!stopping) console.warn(`runview: the simulated run stopped: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  return url;
}

const apiUrl = process.env['VITE_RUNVIEW_API_URL'] ?? (await startEmbeddedServer());
// Vite hands VITE_* variables from the environment to the page.
process.env['VITE_RUNVIEW_API_URL'] = apiUrl;
const vite = await createViteServer({ root, configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)) });
cleanups.push(() => vite.close());
await vite.listen();
vite.printUrls();

const stop = () => {
  stopping = true;
  void Promise.allSettled(cleanups.reverse().map((cleanup) => cleanup())).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
