import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a local stand-in on 127.0.0.1 (port 0: any free port) and answers the port it got. */
export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
