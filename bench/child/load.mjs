// @ts-check
/**
 * The load generator of the server throughput benchmark, in a process of its own so that it
 * does not share the server's event loop: autocannon POSTs one GraphQL body over N keep-alive
 * connections for a fixed time. Prints one JSON line with the figures.
 */
import autocannon from 'autocannon';

/** @type {{ url: string, body: string, connections: number, durationSeconds: number }} */
const input = JSON.parse(process.argv[2] ?? '{}');

const result = await autocannon({
  url: input.url,
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: input.body,
  connections: input.connections,
  duration: input.durationSeconds,
});

console.log(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }),
);
