import type { Aedes } from 'aedes';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { FaultInjector } from './fault-injector.ts';
import { OrderedPublisher } from './ordered-publisher.ts';
import type { ShadowRejection } from './shadow-document.ts';
import { createShadowHttpListener } from './shadow-http.ts';
import { attachShadowTopics, type ShadowTopics } from './shadow-mqtt.ts';
import { ShadowOperations } from './shadow-operations.ts';
import { ShadowStore } from './shadow-store.ts';
import { ThingRateLimiter } from './thing-rate-limiter.ts';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';

export type { FaultInjection, FaultStatus } from './fault-injector.ts';
export { FaultInjector } from './fault-injector.ts';
export { ShadowStore } from './shadow-store.ts';

export interface ShadowServiceOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
  /** With a broker, shadows are also served on their MQTT topics and every change is published there. */
  broker?: Aedes;
  /** The service's clock; the local twin passes its virtual one. */
  now?: () => Date;
  /** AWS throttles shadow requests per thing; set to reproduce it (HTTP and MQTT requests both count). */
  maxRequestsPerThingPerSecond?: number;
}

export interface LocalShadowService {
  /** For `new IoTDataPlaneClient({ endpoint })`. */
  endpoint: `http://127.0.0.1:${number}`;
  port: number;
  store: ShadowStore;
  faults: FaultInjector;
  /** HTTP requests answered so far, by method (GET reads, POST updates, DELETE deletes), and the bytes updates carried. */
  requests(): ShadowRequestCounts;
  /** Resolves once every message queued so far is on the broker. */
  flush(): Promise<void>;
  /** Stops serving: HTTP connections are closed and the broker, which the caller owns, is left running. */
  close(): Promise<void>;
}

export interface ShadowRequestCounts {
  byMethod: Record<string, number>;
  updateBytes: number;
}

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * The AWS IoT device shadow service on one laptop: the HTTP data plane the real SDK client calls and, given a
 * broker, the reserved MQTT topics devices use. Shadows live in memory.
 */
export async function startShadowService(options: ShadowServiceOptions = {}): Promise<LocalShadowService> {
  const clock = options.now ?? (() => new Date());
  const now = (): number => epochSeconds(clock());
  const store = new ShadowStore();
  const faults = new FaultInjector();
  const limiter = options.maxRequestsPerThingPerSecond !== undefined ? new ThingRateLimiter(options.maxRequestsPerThingPerSecond) : undefined;
  const admit = limiter
    ? (thingName: string): ShadowRejection | undefined =>
        limiter.tryAcquire(thingName, clock().getTime())
          ? undefined
          : { code: 429, message: `Rate exceeded: more than ${limiter.maxPerSecond} requests per second for thing '${thingName}'` }
    : undefined;

  const publisher = options.broker ? new OrderedPublisher(options.broker) : undefined;
  const operations = new ShadowOperations(store, now, publisher);
  let topics: ShadowTopics | undefined;
  if (options.broker && publisher) {
    topics = attachShadowTopics({ broker: options.broker, operations, publisher, now, ...(admit ? { admit } : {}) });
  }

  const publish = publisher
    ? async (topic: string, payload: Buffer, flags: { qos: 0 | 1; retain: boolean }): Promise<ShadowRejection | undefined> => {
        const error = await publisher.publishNow(topic, payload, flags);
        if (error) return { code: 400, message: `The message was refused by the broker: ${error.message}` };
        // On AWS a shadow request published over HTTP reaches the shadow service like a device's would.
        topics?.handle(topic, payload);
        return undefined;
      }
    : undefined;

  const server: Server = createServer(createShadowHttpListener({ operations, faults, ...(admit ? { admit } : {}), ...(publish ? { publish } : {}) }));
  const counts: ShadowRequestCounts = { byMethod: {}, updateBytes: 0 };
  server.on('request', (req: IncomingMessage) => {
    const method = req.method ?? 'UNKNOWN';
    counts.byMethod[method] = (counts.byMethod[method] ?? 0) + 1;
    if (method === 'POST') counts.updateBytes += Number(req.headers['content-length'] ?? 0);
  });
  const port = await listenOnLoopback(server, options.port);

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    store,
    faults,
    requests: () => ({ byMethod: { ...counts.byMethod }, updateBytes: counts.updateBytes }),
    flush: async () => {
      await publisher?.drain();
    },
    close: () => {
      closing ??= (async () => {
        topics?.detach();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // SDK clients keep connections alive; without this, close would wait for them to time out.
        server.closeAllConnections();
        await stopped;
        await publisher?.drain();
      })();
      return closing;
    },
  };
}
