/** Raw TCP connections to a server, as a slow or hostile client holds them. */
import { connect, type Socket } from 'node:net';

/** Opens a TCP connection to the server at `origin` and resolves once it is connected. */
export function openSocket(origin: string): Promise<Socket> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
