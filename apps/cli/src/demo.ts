#!/usr/bin/env node
/**
 * `npm run demo`: the embedded server with the demo data on a free loopback port, the
 * commands a first-time user runs against it, a live flow run driven through the calls of
 * Prefect's agent and flow runner and watched to its end, then the server stopped. Exits 0
 * when every command did what it should.
 */
import { FlowRunsByNameDocument } from '@runview/documents';
import { print } from 'graphql';
import { processIo, writeLine } from './io.js';
import { colorEnabled, createPalette } from './output/color.js';
import { main } from './program.js';
import { loadServer } from './server-package.js';

const SEED_FLOW_RUN_ID = '4c0101af-c6bb-4b96-8661-63a5bbfb5596';
const SEED_FLOW_RUN_NAME = 'woodoo-leopard';

const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort('SIGINT');
});
const io = processIo(interrupt.signal);
const palette = createPalette(colorEnabled(io, !process.argv.includes('--no-color')));

function heading(text: string): void {
  writeLine(io.stdout);
  writeLine(io.stdout, palette.bold(palette.cyan(text)));
}

/** Runs one `runview` command in this process, echoing it first. */
async function runview(args: readonly string[], endpoint: string, expectedExit = 0): Promise<void> {
  writeLine(io.stdout, palette.dim(`$ runview ${args.join(' ')}`));
  const code = await main(['--endpoint', endpoint, ...args], io);
  if (code !== expectedExit) throw new Error(`runview ${args.join(' ')} exited ${String(code)}, expected ${String(expectedExit)}`);
}

/** The seed document's by-name query, sent as is, and the raw response. */
async function rawQuery(endpoint: string): Promise<void> {
  const query = print(FlowRunsByNameDocument);
  const variables = { name: SEED_FLOW_RUN_NAME };
  writeLine(io.stdout, palette.dim(`POST ${endpoint}`));
  writeLine(io.stdout, query);
  writeLine(io.stdout, palette.dim(`variables: ${JSON.stringify(variables)}`));
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  writeLine(io.stdout, JSON.stringify(await response.json(), null, 2));
}

async function demo(): Promise<void> {
  const started = Date.now();
  const { createServer, describeCalls, startSimulatedFlowRun } = await loadServer();
  heading('Starting the embedded Prefect 1 API with the demo data');
  const server = await createServer({ seed: 'demo', logger: false });
  try {
    const { url } = await server.listen(0, '127.0.0.1');
    writeLine(io.stdout, `Listening on ${url} (in-memory PGlite; \`runview serve --seed demo\` does the same)`);

    heading('The flow run of the documentation: state, flow metadata, task runs and logs');
    await runview(['inspect', SEED_FLOW_RUN_ID], url);

    heading(`Flow runs named ${SEED_FLOW_RUN_NAME}`);
    await runview(['runs', '--name', SEED_FLOW_RUN_NAME], url);
    heading("The same lookup as raw GraphQL (the documentation's query)");
    await rawQuery(url);

    heading("A live flow run, driven as Prefect's agent and flow runner drive one, watched to its end");
    const simulated = await startSimulatedFlowRun({ url, stepMs: 150, taskCount: 3, logsPerTask: 2, signal: interrupt.signal });
    await runview(['watch', simulated.flowRunId, '--interval', '1s', '--timeout', '2m'], url);
    await simulated.done;
    writeLine(io.stdout, palette.dim(describeCalls(simulated.calls)));

    heading(`Done in ${((Date.now() - started) / 1000).toFixed(1)}s. Next: npx runview serve --seed demo --simulate, then npx runview --help`);
  } finally {
    await server.close();
  }
}

try {
  await demo();
} catch (error) {
  writeLine(io.stderr, `demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
