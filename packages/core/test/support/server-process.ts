// @runview/server in a child process on a loopback port, so that a test can SIGKILL it and
// start it again on the same port with the same data, as an operator's restart would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

// The child's program: open the database, optionally seed a synthetic run, listen, report.
const PROGRAM = `
import { createServer, generateSynthetic } from '@runview/server';
const env = process.env;
const server = await createServer({ database: env.RUNVIEW_FAULT_DATABASE, logger: false });
if (env.RUNVIEW_FAULT_SEED_LOGS) {
  const data = await generateSynthetic(server.db, { flowRuns: 1, taskRunsPerRun: 1, logsPerRun: Number(env.RUNVIEW_FAULT_SEED_LOGS) });
  await server.close();
  process.stdout.write(JSON.stringify({ flowRunId: data.flowRunIds[0], logCount: data.logCount }) + '\\n');
} else {
  const address = await server.listen(Number(env.RUNVIEW_FAULT_PORT), '127.0.0.1');
  process.stdout.write(JSON.stringify({ url: address.url }) + '\\n');
  process.on('SIGTERM', () => { void server.close().then(() => process.exit(0)); });
}
`;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves with the signal or code the process ended with. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

function run(env: Record<string, string>): { child: ChildProcess; firstLine: Promise<Record<string, unknown>>; exited: Promise<NodeJS.Signals | number | null> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PROGRAM], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(signal ?? code);
    });
  });
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const end = stdout.indexOf('\n');
      if (end !== -1) resolve(JSON.parse(stdout.slice(0, end)) as Record<string, unknown>);
    });
    void exited.then((how) => {
      reject(new TypeError(`the server process ended (${String(how)}) before it was ready: ${stderr}`));
    });
  });
  return { child, firstLine, exited };
}

/** Writes a flow run with `logs` synthetic log lines into the PGlite directory `database`. */
export async function seedInProcess(database: string, logs: number): Promise<{ flowRunId: string; logCount: number }> {
  const { firstLine, exited } = run({ RUNVIEW_FAULT_DATABASE: database, RUNVIEW_FAULT_SEED_LOGS: String(logs) });
  const result = (await firstLine) as { flowRunId: string; logCount: number };
  await exited;
  return result;
}

/** Starts the server on `port` over `database` and resolves once it listens. */
export async function startServerProcess(database: string, port: number): Promise<ServerProcess> {
  const { child, firstLine, exited } = run({ RUNVIEW_FAULT_DATABASE: database, RUNVIEW_FAULT_PORT: String(port) });
  const { url } = (await firstLine) as { url: string };
  return { child, url, exited };
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => { resolve(); }));
  return port;
}
