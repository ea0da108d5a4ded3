// The hardening findings that need the reported sizes of data or traffic, with the server's
// default limits and `/health` asked while each runs: `{ log { id } }` over 192,001 log lines
// (it answered every row), a dump of 50 aliased lists over them (a 194 MB answer), a 99 MB
// query and a 60 MB log line over WebSocket (they ran), and 20,000 connections that never
// finish their headers (they locked everyone out). Heavy by nature: the second phase of the
// suite runs it.
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { print, type DocumentNode } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { WriteRunLogsDocument } from '@runview/documents/testing';
import { ConformanceFlowRunsDocument } from '@runview/documents/conformance';
import { generateSynthetic } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { answeredWhileHealthy } from './support/health.js';
import { postRaw, type Answer } from './support/http.js';
import { useTestServer } from './support/server.js';
import { openSocket } from './support/sockets.js';
import { field, queryOf, text } from './support/shapes.js';

// Sized like the findings: minutes on a busy two-core machine.
vi.setConfig({ testTimeout: 300_000 });

const LOG_LINES = 192_001;
const SLOW_CONNECTIONS = 20_000;

const refusal = (answer: Answer<unknown>): Record<string, unknown> | undefined => answer.errors?.[0]?.extensions;

/**
 * The attacker's client, in a process of its own so that building and masking a 99 MB frame
 * does not hold this process's event loop, which serves the server under test: it connects
 * with graphql-ws's protocol, says `sending`, sends one subscribe message whose variable
 * `pad` is replaced by `padMb` MB of text, and prints the close code it gets.
 */
const ATTACKER = `
import WebSocket from 'ws';
const { url, query, variables, padMb } = JSON.parse(process.argv[1]);
const message = JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }).replace('"pad"', JSON.stringify('x'.repeat(padMb * 1024 * 1024)));
const socket = new WebSocket(url, 'graphql-transport-ws');
socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
socket.on('message', (data) => {
  if (JSON.parse(String(data)).type !== 'connection_ack') return;
  console.log('sending');
  socket.send(message);
});
socket.on('error', () => undefined);
socket.on('close', (code) => console.log('closed ' + code));
`;

/** Runs the attacker; `sending` resolves when its frame goes out, `closed` with the socket's close code. */
function attack(url: string, document: DocumentNode, variables: Record<string, unknown>, padMb: number): { sending: Promise<void>; closed: Promise<number> } {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', ATTACKER, JSON.stringify({ url: url.replace(/^http/, 'ws'), query: print(document), variables, padMb })],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  let onSending: () => void = () => undefined;
  const sending = new Promise<void>((resolve) => {
    onSending = resolve;
  });
  const closed = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('sending')) onSending();
      const match = /closed (\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        child.kill();
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      reject(new Error(`the attacker exited (${String(code)}) before its socket closed: ${output}`));
    });
  });
  return { sending, closed };
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`hardening findings at their reported size (${backend.name})`, () => {
    const t = useTestServer(backend, async (server) => {
      const { flowRunIds } = await generateSynthetic(server.db, { flowRuns: 1, taskRunsPerRun: 1, logsPerRun: LOG_LINES });
      const { url } = await server.listen(0, '127.0.0.1');
      return { url, origin: new URL(url).origin, runId: flowRunIds[0] ?? '' };
    });

    it(`refuses { log { id } } over ${LOG_LINES.toLocaleString('en-US')} lines with the row figure, never a cut list (finding 5)`, async () => {
      const answer = await answeredWhileHealthy(t.data.origin, () =>
        postRaw(t.server, JSON.stringify({ query: text(queryOf([field('log', { selections: [field('id')] })])) })),
      );
      expect(refusal(answer)).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'rows', limit: 100_000 });
      expect(answer.text.length).toBeLessThan(1_000);
    });

    it('stops a dump of 50 aliased lists over them with a short answer (finding 5)', async () => {
      const dump = queryOf(Array.from({ length: 50 }, (_, index) => field('log', { alias: `l${String(index)}`, selections: [field('id'), field('message')] })));
      const answer = await answeredWhileHealthy(t.data.origin, () => postRaw(t.server, JSON.stringify({ query: text(dump) })));
      expect(refusal(answer)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'rows' });
      expect(answer.text.length).toBeLessThan(1_000);
    });

    it('closes a WebSocket that sends a 99 MB query or a 60 MB log line, storing nothing (finding 6)', async () => {
      const query = attack(t.data.url, ConformanceFlowRunsDocument, { where: { name: { _eq: 'pad' } } }, 99);
      await query.sending;
      expect(await answeredWhileHealthy(t.data.origin, () => query.closed)).toBe(1009);
      const line = attack(t.data.url, WriteRunLogsDocument, { input: { logs: [{ flow_run_id: t.data.runId, message: 'pad' }] } }, 60);
      await line.sending;
      expect(await answeredWhileHealthy(t.data.origin, () => line.closed)).toBe(1009);
      const longest = await t.server.db.kysely
        .selectFrom('log')
        .select((eb) => eb.fn.max(eb.fn('length', ['message'])).as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(longest.n)).toBeLessThan(1024 * 1024);
    });

    it(`answers /health with ${SLOW_CONNECTIONS.toLocaleString('en-US')} connections that never finish their headers (finding 12)`, async () => {
      const sockets: Socket[] = [];
      try {
        for (let index = 0; index < SLOW_CONNECTIONS; index += 1) {
          const socket = await openSocket(t.data.origin);
          socket.on('error', () => undefined);
          socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl');
          sockets.push(socket);
        }
        const answer = await answeredWhileHealthy(t.data.origin, () =>
          fetch(new URL('/graphql', t.data.origin), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: text(queryOf([field('api', { selections: [field('version')] })])) }),
          }),
        );
        expect(answer.status).toBe(200);
        expect(t.server.connections().refused).toBe(0);
      } finally {
        for (const socket of sockets) socket.destroy();
      }
    });
  });
}
