import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { apiGatewayEvent } from '../runtime/api-gateway-event.ts';
import { DynamoGridEventStore } from '../../functions/adapters/dynamodb/grid-event-store.ts';
import { localClient } from '../aws/dynamodb-local.ts';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';
import { startLocalStack, type LocalStack } from '../runtime/local-stack.ts';
import { triggersOf } from '../../lib/triggers.ts';
import { functions } from '../../wiring/functions.ts';

/** Bodies beyond this are cut off before the handler's own 64 KB check, so a flood cannot fill memory. */
const MAX_READ_BYTES = 1024 * 1024;
/** How often the real-time clock moves the stack's clock and runs the schedules due. */
const TICK_MS = 1000;

export interface WebhookServer {
  url: string;
  stack: LocalStack;
  close(): Promise<void>;
}

/** The HTTP API's payload 2.0 event for a request, as API Gateway hands it to the DR webhook function. */
function toApiEvent(req: IncomingMessage, url: URL, body: string): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
  return apiGatewayEvent({ method: req.method ?? 'GET', url: `${url.pathname}${url.search}`, headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', at: new Date() });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_READ_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const send = (res: ServerResponse, out: APIGatewayProxyStructuredResultV2) =>
  res.writeHead(out.statusCode ?? 200, (out.headers ?? {}) as Record<string, string>).end(out.body ?? '');

/**
 * `hearth serve`: the local stack on the wall clock, with the DR webhook's routes served over HTTP exactly as
 * API Gateway would hand them to the function (`POST /openadr3/callback` and its echo GETs, `POST /dispatch`),
 * plus `GET /grid-events` (the stored events, each with its `id`) and `GET /health`.
 */
export async function startWebhookServer(options: { port?: number; drToken: string }): Promise<WebhookServer> {
  const stack = await startLocalStack({ start: new Date(), drToken: options.drToken });
  const doc = DynamoDBDocumentClient.from(localClient(stack.dynamo.endpoint));
  const gridEvents = new DynamoGridEventStore(doc, stack.dynamo.tableNames.gridEvents);
  const webhookPaths = new Set(triggersOf(functions.drWebhook, 'http').flatMap((t) => t.routes.map((r) => r.path)));

  // Requests and ticks run one at a time: the stack's bus and clock are not meant for concurrent drivers.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const server = createServer((req, res) => {
    void serially(async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (req.method === 'GET' && url.pathname === '/health') return send(res, { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'ok', now: stack.clock.now().toISOString() }) });
        if (req.method === 'GET' && url.pathname === '/grid-events') {
          const events = (await gridEvents.listAll()).map((e) => ({ id: e.gridEventId, ...e }));
          return send(res, { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
        }
        if (webhookPaths.has(url.pathname)) {
          const out = (await stack.invoke('drWebhook', toApiEvent(req, url, await readBody(req)))) as APIGatewayProxyStructuredResultV2;
          send(res, out);
          await stack.bus.drain();
          return;
        }
        send(res, { statusCode: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: `no route ${req.method} ${url.pathname}` }) });
      } catch (e) {
        send(res, { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: (e as Error).message }) });
      }
    });
  });
  const port = await listenOnLoopback(server, options.port);
  const ticker = setInterval(() => {
    void serially(async () => {
      const previous = stack.clock.now();
      const now = new Date();
      if (now <= previous) return;
      stack.clock.set(now);
      await stack.runSchedules(previous, now);
    });
  }, TICK_MS);

  return {
    url: `http://127.0.0.1:${port}`,
    stack,
    async close() {
      clearInterval(ticker);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await queue;
      doc.destroy();
      await stack.close();
    },
  };
}
