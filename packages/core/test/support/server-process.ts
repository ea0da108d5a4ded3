// @runview/server's binary in a child process on a loopback port, so that a test can SIGKILL
// it and start it again on the same port with the same data, as an operator's restart would.
// Seeding a synthetic run (which the binary does not offer) runs the package in a child too.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const serverBin = fileURLToPath(new URL('../../../server/dist/bin.js', import.meta.url));

// The seeding child's program: open the database, write one synthetic run, close, report.
const SEED_PROGRAM = `
import { createServer, generateSynthetic } from '@runview/server';
const server = await createServer({ database: process.env.RUNVIEW_FAULT_DATABASE, logger: false });
const data = await generateSynthetic(server.db, { flowRuns: 1, taskRunsPerRun: 1, logsPerRun: Number(process.env.RUNVIEW_FAULT_SEED_LOGS) });
await server.close();
process.stdout.write(JSON.stringify({ flowRunId: data.flowRunIds[0], logCount: data.logCount }) + '\\n');
`;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves with the signal or code the process ended with. */
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

function run(
  args: readonly string[],
  env: Record<string, string> = {},
): { child: ChildProcess; firstLine: Promise<string>; exited: Promise<NodeJS.Signals | number | null> } {
  const child = spawn(process.execPath, args, {
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
  const firstLine = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const end = stdout.indexOf('\n');
      if (end !== -1) resolve(stdout.slice(0, end));
    });
    void exited.then((how) => {
      reject(new TypeError(`the server process ended (${String(how)}) before it was ready: ${stderr}`));
    });
  });
  return { child, firstLine, exited };
}

/** Writes a flow run with `logs` synthetic log lines into the PGlite directory `database`. */
export async function seedInProcess(database: string, logs: number): Promise<{ flowRunId: string; logCount: number }> {
  const { firstLine, exited } = run(['--input-type=module', '-e', SEED_PROGRAM], { RUNVIEW_FAULT_DATABASE: database, RUNVIEW_FAULT_SEED_LOGS: String(logs) });
  const result = JSON.parse(await firstLine) as { flowRunId: string; logCount: number };
  await exited;
  return result;
}

/** Starts `runview-server --port <port> --database <database>` and resolves once it listens. */
export async function startServerProcess(database: string, port: number): Promise<ServerProcess> {
  const { child, firstLine, exited } = run([serverBin, '--port', String(port), '--database', database]);
  const line = await firstLine;
  const url = /listening on (\S+)/.exec(line)?.[1];
  if (url === undefined) throw new TypeError(`runview-server did not say where it listens: ${line}`);
  return { child, url, exited };
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) =>
    probe.close(() => {
      resolve();
    }),
  );
  return port;
}
