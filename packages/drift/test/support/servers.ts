// Real loopback servers for the drift check to introspect: a GraphQL server built from SDL
// (what matters is its introspection, so no resolvers) and raw HTTP servers that misbehave.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: Server, path: string): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

/** A GraphQL endpoint serving `sdl` at /graphql. */
export function serveSchema(sdl: string, options: { headers?: Record<string, string> } = {}): Promise<RunningServer> {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: sdl }),
    logging: false,
    maskedErrors: false,
    plugins: options.headers
      ? [
          {
            onRequest(payload) {
              const missing = Object.entries(options.headers ?? {}).some(([name, value]) => payload.request.headers.get(name) !== value);
              if (missing) payload.endResponse(new payload.fetchAPI.Response(JSON.stringify({ errors: [{ message: 'Unauthorized' }] }), { status: 401 }));
            },
          },
        ]
      : [],
  });
  return listen(
    createServer((request, response) => {
      void yoga(request, response);
    }),
    '/graphql',
  );
}

/** An HTTP server that answers every request with `handler`. */
export function serveRaw(handler: RequestListener): Promise<RunningServer> {
  return listen(createServer(handler), '/graphql');
}
