import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseShadowTopic } from '../../wiring/topics.ts';
import type { FaultInjector } from './fault-injector.ts';
import type { ShadowRejection, ShadowResult } from './shadow-document.ts';
import type { ShadowOperations } from './shadow-operations.ts';

/** The largest body read, as AWS IoT's 128 KB message limit; shadow updates have their own, smaller one. */
const MAX_BODY_BYTES = 128 * 1024;

/** The restJson1 error shapes the IoT data plane SDK turns into its typed exceptions. */
const ERROR_TYPES: Record<number, string> = {
  400: 'InvalidRequestException',
  404: 'ResourceNotFoundException',
  405: 'MethodNotAllowedException',
  409: 'ConflictException',
  413: 'RequestEntityTooLargeException',
  415: 'UnsupportedDocumentEncodingException',
  429: 'ThrottlingException',
  500: 'InternalFailureException',
  503: 'ServiceUnavailableException',
};

export interface ShadowHttpOptions {
  operations: ShadowOperations;
  faults: FaultInjector;
  /** A rejection when the thing may not be served now (throttling). */
  admit?: (thingName: string) => ShadowRejection | undefined;
  /** The Publish API; absent when the service runs without a broker, and then messages go nowhere. */
  publish?: (topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }) => Promise<ShadowRejection | undefined>;
}

class HttpRejection extends Error {
  constructor(readonly rejection: ShadowRejection) {
    super(rejection.message);
  }
}

function fail(code: ShadowRejection['code'], message: string): never {
  throw new HttpRejection({ code, message });
}

function decodeLabel(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return fail(400, `Invalid ${what} in the path: malformed percent-encoding '${raw}'`);
  }
}

/** Reads the body whole, refusing more than the limit; the rest is drained so the connection stays usable. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) fail(413, `The payload exceeds the maximum size allowed: ${size} bytes, the limit ${MAX_BODY_BYTES}`);
  return Buffer.concat(chunks);
}

type Route =
  | { kind: 'shadow'; thingName: string; shadowName?: string }
  | { kind: 'list'; thingName: string; pageSize?: number; nextToken?: string }
  | { kind: 'publish'; topic: string; qos: 0 | 1; retain: boolean };

/** The data plane's paths, exactly as the SDK's serializers build them. */
function route(method: string, url: URL): Route | undefined {
  const segments = url.pathname.split('/').slice(1);
  const query = url.searchParams;

  if (segments.length === 3 && segments[0] === 'things' && segments[2] === 'shadow') {
    if (!['GET', 'POST', 'DELETE'].includes(method)) fail(405, `${method} is not supported on ${url.pathname}; use GET, POST or DELETE`);
    const name = query.get('name');
    return { kind: 'shadow', thingName: decodeLabel(segments[1] ?? '', 'thingName'), ...(name !== null ? { shadowName: name } : {}) };
  }

  if (segments.length === 5 && url.pathname.startsWith('/api/things/shadow/ListNamedShadowsForThing/')) {
    if (method !== 'GET') fail(405, `${method} is not supported on ListNamedShadowsForThing; use GET`);
    const pageSize = query.get('pageSize');
    const nextToken = query.get('nextToken');
    if (pageSize !== null && !/^\d+$/.test(pageSize)) fail(400, `Invalid pageSize '${pageSize}': it must be a positive integer`);
    return {
      kind: 'list',
      thingName: decodeLabel(segments[4] ?? '', 'thingName'),
      ...(pageSize !== null ? { pageSize: Number(pageSize) } : {}),
      ...(nextToken !== null ? { nextToken } : {}),
    };
  }

  if (url.pathname.startsWith('/topics/')) {
    if (method !== 'POST') fail(405, `${method} is not supported on Publish; use POST`);
    // The SDK encodes the topic as one label (`/` as %2F); a raw slash from a hand-written request works too.
    const topic = decodeLabel(url.pathname.slice('/topics/'.length), 'topic');
    const qos = query.get('qos') ?? '0';
    const retain = query.get('retain') ?? 'false';
    if (qos !== '0' && qos !== '1') fail(400, `Invalid qos '${qos}': 0 or 1`);
    if (retain !== 'true' && retain !== 'false') fail(400, `Invalid retain '${retain}': true or false`);
    if (topic === '' || /[+#]/.test(topic)) fail(400, `Invalid topic '${topic}': a topic name, without wildcards`);
    return { kind: 'publish', topic, qos: qos === '1' ? 1 : 0, retain: retain === 'true' };
  }
  return undefined;
}

function thingOf(target: Route): string | undefined {
  return target.kind === 'publish' ? parseShadowTopic(target.topic)?.thingName : target.thingName;
}

function unwrap<T>(result: ShadowResult<T>): T {
  if (!result.ok) throw new HttpRejection(result.rejection);
  return result.value;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
}

function sendRejection(res: ServerResponse, rejection: ShadowRejection): void {
  const type = ERROR_TYPES[rejection.code] ?? 'InternalFailureException';
  sendJson(res, rejection.code, { message: rejection.message }, { 'x-amzn-ErrorType': type });
}

async function serve(req: IncomingMessage, res: ServerResponse, options: ShadowHttpOptions): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://localhost');
  const body = await readBody(req);
  const request = route(method, url);
  if (!request) fail(404, `No such operation: ${method} ${url.pathname}`);

  // Faults first: the test asked for this request to fail, whatever the service would have said.
  const thingName = thingOf(request);
  const fault = options.faults.take(thingName);
  if (fault) fail(fault.status, fault.message);
  const throttled = thingName !== undefined ? options.admit?.(thingName) : undefined;
  if (throttled) throw new HttpRejection(throttled);

  const { operations } = options;
  switch (request.kind) {
    case 'shadow': {
      const address = { thingName: request.thingName, ...(request.shadowName !== undefined ? { shadowName: request.shadowName } : {}) };
      if (method === 'GET') return sendJson(res, 200, unwrap(operations.get(address)));
      if (method === 'POST') return sendJson(res, 200, unwrap(operations.update(address, body)));
      return sendJson(res, 200, unwrap(operations.delete(address)));
    }
    case 'list': {
      const page = {
        ...(request.pageSize !== undefined ? { pageSize: request.pageSize } : {}),
        ...(request.nextToken !== undefined ? { nextToken: request.nextToken } : {}),
      };
      return sendJson(res, 200, unwrap(operations.listNamedShadows(request.thingName, page)));
    }
    case 'publish': {
      const refused = await options.publish?.(request.topic, body, { qos: request.qos, retain: request.retain });
      if (refused) throw new HttpRejection(refused);
      return sendJson(res, 200, undefined);
    }
  }
}

/** The IoT data plane over HTTP (restJson1), as `@aws-sdk/client-iot-data-plane` calls it. Signatures are not checked. */
export function createShadowHttpListener(options: ShadowHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(req, res, options).catch((e: unknown) => {
      const rejection: ShadowRejection =
        e instanceof HttpRejection ? e.rejection : { code: 500, message: `Internal service failure: ${e instanceof Error ? e.message : String(e)}` };
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendRejection(res, rejection);
    });
  };
}
