import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';

/** What a route answers: a status and a JSON body. */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** An answer forced onto the next requests, whatever they ask: the faults a real API can produce. */
export interface ForcedAnswer {
  status: number;
  /** Sent as is, so a test can serve malformed JSON too. */
  body: string;
}

export interface StandInServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Path and query of every request received, oldest first. */
  readonly requests: readonly string[];
  /** The next `count` requests get `answer` instead of the real one. */
  forceNext(count: number, answer: ForcedAnswer): void;
  close(): Promise<void>;
}

/** A GET-only JSON server on the loopback interface, for stand-ins of public HTTP APIs. */
export async function startJsonStandIn(options: { port?: number; route: (url: URL) => JsonAnswer }): Promise<StandInServer> {
  const requests: string[] = [];
  const forced: ForcedAnswer[] = [];

  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const fault = forced.shift();
    if (fault) return send(res, fault.status, fault.body);
    if (req.method !== 'GET') return send(res, 405, JSON.stringify({ error: true, reason: `method ${req.method} is not allowed` }));
    try {
      const answer = options.route(url);
      send(res, answer.status, JSON.stringify(answer.body));
    } catch (e) {
      send(res, 500, JSON.stringify({ error: true, reason: (e as Error).message }));
    }
  });
  const port = await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    forceNext: (count, answer) => {
      for (let i = 0; i < count; i++) forced.push(answer);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
