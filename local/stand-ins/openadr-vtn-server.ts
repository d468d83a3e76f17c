import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';

/**
 * An OpenADR 3.1 VTN on the loopback interface, for the VEN's tests and the local twin: the OAuth2 token
 * endpoint (`POST /auth/token`, form body or HTTP Basic, `GET /auth/server`), `GET /programs`,
 * `GET /events` (programID, skip, limit ≤ 50), `GET|POST /subscriptions`, `PUT /subscriptions/{id}`,
 * `GET|POST /reports`. Every other call needs a bearer token it issued, unexpired on the virtual clock and not
 * revoked. It records what it received, and can be made to misbehave: forced answers for matching requests
 * (optionally after handling them, as a VTN whose answer is lost), revoked tokens, and snake_case output as a
 * widely used reference server writes it.
 *
 * Like the reference VTN it refuses report payload descriptors without `objectType`. It does not call
 * subscription callbacks: events reach a VEN through its polls (a webhook is tested on its own).
 */
export interface VtnStandInOptions {
  port?: number;
  now: () => Date;
  /** client id → client secret. */
  clients: Record<string, string>;
  tokenTtlS?: number;
  programs?: readonly { id: string; programName: string }[];
  /** Keys in snake_case (`program_id`, `interval_period`), as the reference server answers. */
  snakeCase?: boolean;
  /** Whether `GET /auth/server` is offered (it is optional in the spec). */
  discovery?: boolean;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

export interface ForcedVtnAnswer {
  status: number;
  /** Sent as is, so a test can serve malformed JSON too. */
  body: string;
  /** Only requests of this method and path (prefix) are answered so; others pass. */
  match?: { method?: string; path?: string };
  /** Handle the request first (store what it posts), then answer this: an accepted request whose answer is lost. */
  afterHandling?: boolean;
}

type VtnObject = Record<string, unknown>;

export interface VtnStandIn {
  url: string;
  readonly requests: ReceivedRequest[];
  readonly subscriptions: VtnObject[];
  readonly reports: VtnObject[];
  /** Creates or replaces an event (id kept), stamping its times with the virtual clock. */
  putEvent(event: VtnObject): VtnObject;
  deleteEvent(id: string): void;
  forceNext(count: number, answer: ForcedVtnAnswer): void;
  /** Every token issued so far stops working (a VTN restart, a key rotation). */
  revokeTokens(): void;
  /** Calls received, not counting the token endpoint: `GET /events`, `POST /reports`, … */
  calls(method: string, path: string): ReceivedRequest[];
  close(): Promise<void>;
}

const MAX_LIMIT = 50;
const MAX_BODY_BYTES = 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const snakeKey = (key: string): string =>
  key
    .replace(/ID$/, 'Id')
    .replace(/URL/g, 'Url')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();

function snakeCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCase);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeKey(k), snakeCase(v)]));
  return value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function page(url: URL, objects: readonly VtnObject[]): VtnObject[] {
  const skip = Number(url.searchParams.get('skip') ?? '0');
  const limit = Number(url.searchParams.get('limit') ?? String(MAX_LIMIT));
  if (!Number.isInteger(skip) || skip < 0) throw new HttpError(400, 'skip must be a non-negative integer');
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw new HttpError(400, `limit must be an integer from 0 to ${MAX_LIMIT}`);
  return objects.slice(skip, skip + limit);
}

const filterBy = (url: URL, objects: readonly VtnObject[], params: readonly string[]): VtnObject[] =>
  objects.filter((o) => params.every((p) => !url.searchParams.has(p) || o[p] === url.searchParams.get(p)));

function requireFields(body: unknown, fields: readonly string[], what: string): VtnObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, `${what} must be a JSON object`);
  for (const f of fields) if ((body as VtnObject)[f] === undefined) throw new HttpError(400, `${what}.${f} is required`);
  return body as VtnObject;
}

function checkSubscription(body: unknown): VtnObject {
  const s = requireFields(body, ['clientName', 'objectOperations'], 'subscription');
  if (!Array.isArray(s.objectOperations) || s.objectOperations.length === 0) throw new HttpError(400, 'subscription.objectOperations must be a non-empty array');
  s.objectOperations.forEach((op, i) => requireFields(op, ['objects', 'operations', 'callbackUrl'], `subscription.objectOperations[${i}]`));
  return s;
}

function checkReport(body: unknown): VtnObject {
  const r = requireFields(body, ['eventID', 'clientName', 'resources'], 'report');
  if (!Array.isArray(r.resources)) throw new HttpError(400, 'report.resources must be an array');
  for (const [i, d] of ((r.payloadDescriptors as unknown[] | undefined) ?? []).entries()) {
    if ((d as VtnObject)?.objectType !== 'REPORT_PAYLOAD_DESCRIPTOR') throw new HttpError(400, `report.payloadDescriptors[${i}].objectType must be REPORT_PAYLOAD_DESCRIPTOR`);
  }
  return r;
}

export async function startOpenAdrVtnServer(options: VtnStandInOptions): Promise<VtnStandIn> {
  const requests: ReceivedRequest[] = [];
  const tokens = new Map<string, { clientId: string; expiresMs: number }>();
  const programs: VtnObject[] = (options.programs ?? []).map((p) => ({ ...p, objectType: 'PROGRAM', createdDateTime: options.now().toISOString(), modificationDateTime: options.now().toISOString() }));
  const events = new Map<string, VtnObject>();
  const subscriptions: VtnObject[] = [];
  const reports: VtnObject[] = [];
  const forced: ForcedVtnAnswer[] = [];
  let serial = 0;
  let base = '';
  const nowIso = () => options.now().toISOString();
  const created = (kind: string, prefix: string, body: VtnObject, clientId: string): VtnObject => ({
    ...body,
    id: `${prefix}-${++serial}`,
    objectType: kind,
    clientID: clientId,
    createdDateTime: nowIso(),
    modificationDateTime: nowIso(),
  });

  const issueToken = (req: IncomingMessage, body: string): { status: number; body: unknown } => {
    const form = new URLSearchParams(body);
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    const clientId = form.get('client_id') ?? basicId;
    const secret = form.get('client_secret') ?? basicSecret;
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (!clientId || options.clients[clientId] === undefined || options.clients[clientId] !== secret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'unknown client or wrong secret' } };
    }
    const token = randomBytes(18).toString('base64url');
    const ttlS = options.tokenTtlS ?? 3600;
    tokens.set(token, { clientId, expiresMs: options.now().getTime() + ttlS * 1000 });
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttlS } };
  };

  const authenticated = (req: IncomingMessage): string => {
    const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const held = token ? tokens.get(token) : undefined;
    if (!held) throw new HttpError(401, 'no valid bearer token');
    if (held.expiresMs <= options.now().getTime()) throw new HttpError(401, 'the bearer token has expired');
    return held.clientId;
  };

  const route = (method: string, url: URL, body: unknown, clientId: string): { status: number; body: unknown } => {
    const path = url.pathname;
    if (method === 'GET' && path === '/programs') return { status: 200, body: page(url, programs) };
    if (method === 'GET' && path === '/events') return { status: 200, body: page(url, filterBy(url, [...events.values()], ['programID'])) };
    if (method === 'GET' && path === '/subscriptions') return { status: 200, body: page(url, filterBy(url, subscriptions, ['programID', 'clientName'])) };
    if (method === 'POST' && path === '/subscriptions') {
      const s = created('SUBSCRIPTION', 'sub', checkSubscription(body), clientId);
      subscriptions.push(s);
      return { status: 201, body: s };
    }
    const subscriptionId = /^\/subscriptions\/([^/]+)$/.exec(path)?.[1];
    if (method === 'PUT' && subscriptionId) {
      const i = subscriptions.findIndex((s) => s.id === decodeURIComponent(subscriptionId));
      if (i < 0) throw new HttpError(404, `subscription ${subscriptionId} not found`);
      subscriptions[i] = { ...subscriptions[i], ...checkSubscription(body), id: subscriptions[i]!.id, modificationDateTime: nowIso() };
      return { status: 200, body: subscriptions[i] };
    }
    if (method === 'GET' && path === '/reports') return { status: 200, body: page(url, filterBy(url, reports, ['eventID', 'clientName', 'programID'])) };
    if (method === 'POST' && path === '/reports') {
      const r = created('REPORT', 'rep', checkReport(body), clientId);
      reports.push(r);
      return { status: 201, body: r };
    }
    throw new HttpError(404, `${method} ${path} is not served here`);
  };

  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const problem = (status: number, detail: string) => JSON.stringify({ type: 'about:blank', title: status === 401 ? 'Unauthorized' : 'Error', status, detail });

  const server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      try {
        const text = await readBody(req);
        let body: unknown;
        if (text && (req.headers['content-type'] ?? '').includes('application/json')) {
          try {
            body = JSON.parse(text);
          } catch {
            throw new HttpError(400, 'body is not JSON');
          }
        }
        requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), ...(body !== undefined ? { body } : {}) });
        const i = forced.findIndex((f) => (!f.match?.method || f.match.method === method) && (!f.match?.path || url.pathname.startsWith(f.match.path)));
        const fault = i >= 0 ? forced.splice(i, 1)[0] : undefined;
        if (fault && !fault.afterHandling) return send(res, fault.status, fault.body);

        let answer: { status: number; body: unknown };
        if (method === 'POST' && url.pathname === '/auth/token') answer = issueToken(req, text);
        else if (method === 'GET' && url.pathname === '/auth/server' && options.discovery !== false) answer = { status: 200, body: { tokenURL: `${base}/auth/token` } };
        else answer = route(method, url, body, authenticated(req));
        if (fault) return send(res, fault.status, fault.body);
        send(res, answer.status, JSON.stringify(options.snakeCase && url.pathname !== '/auth/token' ? snakeCase(answer.body) : answer.body));
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 500;
        send(res, status, problem(status, (e as Error).message));
      }
    })();
  });
  const port = await listenOnLoopback(server, options.port);
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    requests,
    subscriptions,
    reports,
    putEvent(event) {
      const id = String(event.id ?? `evt-${++serial}`);
      const old = events.get(id);
      const stored = { ...event, id, objectType: 'EVENT', createdDateTime: old?.createdDateTime ?? nowIso(), modificationDateTime: nowIso() };
      events.set(id, stored);
      return stored;
    },
    deleteEvent: (id) => void events.delete(id),
    forceNext(count, answer) {
      for (let k = 0; k < count; k++) forced.push(answer);
    },
    revokeTokens: () => tokens.clear(),
    calls: (method, path) => requests.filter((r) => r.method === method && r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
