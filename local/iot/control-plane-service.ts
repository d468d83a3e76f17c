import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateSelfSignedCertificate } from './self-signed-certificate.ts';
import { RegistryError, ThingRegistryModel } from './thing-registry-model.ts';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';

/**
 * The AWS IoT control plane (registry part) on loopback: the restJson1 operations `@aws-sdk/client-iot` sends for
 * things, thing groups, certificates and policies, with the paths, query parameters and headers of its
 * serializers (dist-es/schemas/schemas_0.js), so the real client works against it unchanged. Signatures are not
 * checked. State lives in memory.
 */
export interface ControlPlaneServiceOptions {
  port?: number;
  /** The service's clock (certificate dates); the local twin passes its virtual one. */
  now?: () => Date;
  region?: string;
  account?: string;
  /** Policies that exist from the start, by name, e.g. the device policy the CDK stack would create. */
  policies?: Record<string, string>;
}

export interface LocalControlPlane {
  /** For `new IoTClient({ endpoint })` or AWS_ENDPOINT_URL_IOT. */
  endpoint: `http://127.0.0.1:${number}`;
  registry: ThingRegistryModel;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_PAGE = 25;

interface Request {
  method: string;
  segments: string[];
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

type Handler = (request: Request) => unknown;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RegistryError('InvalidRequestException', `request body exceeds ${MAX_BODY_BYTES} bytes`, 400);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // falls through to the error below
  }
  throw new RegistryError('InvalidRequestException', 'request body must be a JSON object', 400);
}

/** An opaque token naming the index of the next item. */
function page<T>(items: T[], query: URLSearchParams): { items: T[]; nextToken?: string } {
  const max = Number(query.get('maxResults') ?? DEFAULT_PAGE);
  const token = query.get('nextToken');
  const from = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(from) || from < 0) throw new RegistryError('InvalidRequestException', 'Invalid nextToken', 400);
  const slice = items.slice(from, from + max);
  return { items: slice, ...(from + max < items.length ? { nextToken: Buffer.from(String(from + max)).toString('base64url') } : {}) };
}

const principalHeader = (request: Request): string => {
  const value = request.headers['x-amzn-principal'];
  if (typeof value !== 'string' || value === '') throw new RegistryError('InvalidRequestException', 'the x-amzn-principal header is required', 400);
  return value;
};

const stringOf = (body: Record<string, unknown>, key: string): string => {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new RegistryError('InvalidRequestException', `${key} is required`, 400);
  return value;
};

const attributesOf = (body: Record<string, unknown>): { attributes: Record<string, string>; merge: boolean } => {
  const payload = (body.attributePayload ?? {}) as { attributes?: Record<string, string>; merge?: boolean };
  return { attributes: payload.attributes ?? {}, merge: payload.merge ?? false };
};

export async function startControlPlaneService(options: ControlPlaneServiceOptions = {}): Promise<LocalControlPlane> {
  const now = options.now ?? (() => new Date());
  const registry = new ThingRegistryModel(options.region ?? 'eu-west-1', options.account ?? '000000000000');
  for (const [name, document] of Object.entries(options.policies ?? {})) registry.createPolicy(name, document);

  /** [method, path pattern with `{}` for a label, handler]; the first match wins. */
  const routes: [string, string, Handler][] = [
    ['PUT', 'thing-groups/addThingToThingGroup', ({ body }) => (registry.addThingToGroup(stringOf(body, 'thingName'), stringOf(body, 'thingGroupName')), {})],
    ['PUT', 'thing-groups/removeThingFromThingGroup', ({ body }) => (registry.removeThingFromGroup(stringOf(body, 'thingName'), stringOf(body, 'thingGroupName')), {})],
    [
      'POST',
      'things/{}',
      ({ segments, body }) => {
        const thing = registry.createThing(segments[1]!, attributesOf(body).attributes);
        return { thingName: thing.thingName, thingArn: thing.thingArn, thingId: thing.thingId };
      },
    ],
    [
      'GET',
      'things/{}',
      ({ segments }) => {
        const t = registry.describeThing(segments[1]!);
        return { defaultClientId: t.thingName, thingName: t.thingName, thingId: t.thingId, thingArn: t.thingArn, attributes: t.attributes, version: t.version };
      },
    ],
    [
      'PATCH',
      'things/{}',
      ({ segments, body }) => {
        const { attributes, merge } = attributesOf(body);
        registry.updateThing(segments[1]!, attributes, merge, typeof body.expectedVersion === 'number' ? body.expectedVersion : undefined);
        return {};
      },
    ],
    ['DELETE', 'things/{}', ({ segments }) => (registry.deleteThing(segments[1]!), {})],
    [
      'GET',
      'things/{}/thing-groups',
      ({ segments, query }) => {
        const { items, nextToken } = page(registry.groupsOfThing(segments[1]!), query);
        return { thingGroups: items.map((g) => ({ groupName: g.groupName, groupArn: g.groupArn })), ...(nextToken ? { nextToken } : {}) };
      },
    ],
    [
      'GET',
      'things/{}/principals',
      ({ segments, query }) => {
        const { items, nextToken } = page(registry.principalsOfThing(segments[1]!), query);
        return { principals: items, ...(nextToken ? { nextToken } : {}) };
      },
    ],
    ['PUT', 'things/{}/principals', (r) => (registry.attachThingPrincipal(r.segments[1]!, principalHeader(r)), {})],
    ['DELETE', 'things/{}/principals', (r) => (registry.detachThingPrincipal(r.segments[1]!, principalHeader(r)), {})],
    [
      'POST',
      'thing-groups/{}',
      ({ segments, body }) => {
        const properties = (body.thingGroupProperties ?? {}) as { thingGroupDescription?: string };
        const group = registry.createThingGroup(segments[1]!, properties.thingGroupDescription);
        return { thingGroupName: group.groupName, thingGroupArn: group.groupArn, thingGroupId: group.groupId };
      },
    ],
    [
      'GET',
      'thing-groups/{}',
      ({ segments }) => {
        const g = registry.describeThingGroup(segments[1]!);
        return {
          thingGroupName: g.groupName,
          thingGroupId: g.groupId,
          thingGroupArn: g.groupArn,
          version: 1,
          thingGroupProperties: g.description !== undefined ? { thingGroupDescription: g.description } : {},
        };
      },
    ],
    [
      'GET',
      'thing-groups/{}/things',
      ({ segments, query }) => {
        const { items, nextToken } = page(registry.thingsInGroup(segments[1]!), query);
        return { things: items, ...(nextToken ? { nextToken } : {}) };
      },
    ],
    [
      'GET',
      'certificates/{}',
      ({ segments }) => {
        const c = registry.describeCertificate(segments[1]!);
        return {
          certificateDescription: {
            certificateArn: c.certificateArn,
            certificateId: c.certificateId,
            status: c.status,
            certificatePem: c.certificatePem,
            creationDate: c.creationDate,
          },
        };
      },
    ],
    ['PUT', 'certificates/{}', ({ segments, query }) => (registry.updateCertificate(segments[1]!, query.get('newStatus') ?? ''), {})],
    ['DELETE', 'certificates/{}', ({ segments, query }) => (registry.deleteCertificate(segments[1]!, query.get('forceDelete') === 'true'), {})],
    ['PUT', 'target-policies/{}', ({ segments, body }) => (registry.attachPolicy(segments[1]!, stringOf(body, 'target')), {})],
    ['POST', 'target-policies/{}', ({ segments, body }) => (registry.detachPolicy(segments[1]!, stringOf(body, 'target')), {})],
    ['POST', 'policies/{}', ({ segments, body }) => (registry.createPolicy(segments[1]!, stringOf(body, 'policyDocument')), { policyName: segments[1] })],
    [
      'GET',
      'principals/things',
      (r) => {
        const { items, nextToken } = page(registry.thingsOfPrincipal(principalHeader(r)), r.query);
        return { things: items, ...(nextToken ? { nextToken } : {}) };
      },
    ],
  ];

  const match = (method: string, segments: string[]): Handler | undefined =>
    routes.find(([m, pattern]) => {
      const parts = pattern.split('/');
      return m === method && parts.length === segments.length && parts.every((p, i) => p === '{}' || p === segments[i]);
    })?.[2];

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const body = await readJson(req);
    // CreateKeysAndCertificate is asynchronous here only because key generation is.
    let result: unknown;
    if (method === 'POST' && url.pathname === '/keys-and-certificate') {
      const generated = await generateSelfSignedCertificate('AWS IoT Certificate', now());
      const c = registry.addCertificate(generated.certificateId, generated.certificatePem, url.searchParams.get('setAsActive') === 'true', Math.floor(now().getTime() / 1000));
      result = {
        certificateArn: c.certificateArn,
        certificateId: c.certificateId,
        certificatePem: c.certificatePem,
        keyPair: { PublicKey: generated.publicKeyPem, PrivateKey: generated.privateKeyPem },
      };
    } else {
      const handler = match(method, segments);
      if (!handler) throw new RegistryError('InvalidRequestException', `No such operation: ${method} ${url.pathname}`, 404);
      result = handler({ method, segments, query: url.searchParams, headers: req.headers, body });
    }
    const text = JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text);
  };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      const error = e instanceof RegistryError ? e : new RegistryError('InvalidRequestException', (e as Error).message, 500);
      const type = error.status === 500 ? 'InternalFailureException' : error.type;
      const text = JSON.stringify({ message: error.message, ...error.extra });
      if (res.headersSent) return void res.destroy();
      res.writeHead(error.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': type, 'content-length': String(Buffer.byteLength(text)) }).end(text);
    });
  });
  const port = await listenOnLoopback(server, options.port);
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    registry,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
