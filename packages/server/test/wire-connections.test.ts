// What open connections can hold, on the wire: thousands of connections that never finish their
// headers do not lock anyone out (a newcomer takes the place of the oldest such connection, and
// the open count stays at the cap), a caller without a valid key is answered before its body is
// read, and a request that does not arrive in time is closed.
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './mutations-harness.js';
import { openSocket } from './support/sockets.js';
import { errorCodes, exchange, useWireServer } from './support/wire.js';

const CAP = 64;
const SLOW_CONNECTIONS = 2_000;

/** Everything the server sends on a socket until it closes it. */
function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      resolve(text);
    });
  });
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`connections (${backend.name})`, () => {
    // Timeouts far longer than the test: only the cap's eviction can make room here.
    const crowded = useWireServer(backend, { maxConnections: CAP, headersTimeoutMs: 600_000, requestTimeoutMs: 600_000 });
    const guarded = useWireServer(backend, { apiKeys: ['wire-key'], headersTimeoutMs: 1_000, requestTimeoutMs: 1_500 });

    it(`keeps ${SLOW_CONNECTIONS} connections that never finish their headers at ${CAP}, and still answers /health`, async () => {
      const sockets: Socket[] = [];
      const closed: Promise<string>[] = [];
      try {
        for (let index = 0; index < SLOW_CONNECTIONS; index += 1) {
          const socket = await openSocket(crowded.origin);
          socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl');
          sockets.push(socket);
          closed.push(readUntilClosed(socket));
        }
        const started = performance.now();
        const health = await exchange(`${crowded.origin}/health`);
        const elapsed = performance.now() - started;
        expect(health.status).toBe(200);
        expect(health.json).toEqual({ status: 'ok', database: backend.name });
        const stats = crowded.server.connections();
        expect(stats.open).toBeLessThanOrEqual(CAP);
        expect(stats.evicted).toBeGreaterThanOrEqual(SLOW_CONNECTIONS - CAP);
        expect(stats.refused).toBe(0);
        // The oldest slow connections were the ones closed, and the server sent them nothing.
        const oldest = await Promise.all(closed.slice(0, SLOW_CONNECTIONS - CAP));
        expect(oldest.every((text) => text === '')).toBe(true);
        console.info(`/health answered in ${elapsed.toFixed(0)} ms with ${SLOW_CONNECTIONS} slow connections opened (cap ${CAP}, ${stats.evicted} evicted)`);
      } finally {
        for (const socket of sockets) socket.destroy();
      }
    });

    it('answers a caller without a valid key before reading its body, and closes the connection', async () => {
      const socket = await openSocket(guarded.origin);
      const answer = readUntilClosed(socket);
      // Declares 5 MB and sends 16 bytes of it: the answer cannot wait for the rest.
      socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{"query": "{ api');
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 200 /);
      expect(text).toMatch(/connection: close/i);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      expect(errorCodes(JSON.parse(body.replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, '')))).toEqual(['UNAUTHENTICATED']);
    });

    it('closes a connection whose headers or body do not arrive in time', async () => {
      const slowHeaders = await openSocket(guarded.origin);
      const headersAnswer = readUntilClosed(slowHeaders);
      slowHeaders.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      expect(await headersAnswer).toMatch(/^HTTP\/1\.1 408 |^$/);
      const slowBody = await openSocket(guarded.origin);
      const bodyAnswer = readUntilClosed(slowBody);
      slowBody.write(
        'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer wire-key\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
      );
      expect(await bodyAnswer).toMatch(/^HTTP\/1\.1 408 |^$/);
    });
  });
}
