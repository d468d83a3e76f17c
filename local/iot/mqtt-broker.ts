import { Aedes } from 'aedes';
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface LocalMqttBroker {
  aedes: Aedes;
  url: `mqtt://127.0.0.1:${number}`;
  port: number;
  /** Ends every client connection, then the broker and the listening socket. Safe to call twice. */
  close(): Promise<void>;
}

/** An embedded MQTT 3.1.1 broker (aedes) on loopback TCP, standing in for AWS IoT Core's message broker. */
export async function startMqttBroker(options: { port?: number } = {}): Promise<LocalMqttBroker> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // Shadow exchanges are small request/response messages: Nagle's delay would only add latency.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw e;
  }
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      // aedes closes the clients it registered; a socket still in its CONNECT handshake is not one of them.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })();
    return closing;
  };

  return { aedes, url: `mqtt://127.0.0.1:${port}`, port, close };
}
