import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../../../../local/net/listen-on-loopback.ts';

/** One request as the proxy received it. */
export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** DynamoDB's operation (`BatchWriteItem`, from `x-amz-target`), when the request names one. */
  operation?: string;
}

export interface ProxyAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * What to do with one request:
 * - `answer`: answer this instead, without forwarding (the service refused it: throttling, 5xx before work);
 * - `forwardThenAnswer`: forward it (the service does the work) but answer this instead of the real answer
 *   (the response was lost: the caller cannot know the work was done);
 * - `forwardThenDrop`: forward it, then close the connection without an answer (a network failure after the work);
 * - `hang`: never answer (a service that stopped responding; the caller's timeout must end the wait);
 * - `rewrite`: forward another body, then turn the real answer into another one (partial batch results).
 */
export type Verdict =
  | { answer: ProxyAnswer }
  | { forwardThenAnswer: ProxyAnswer }
  | { forwardThenDrop: true }
  | { hang: true }
  | { rewrite: { body: Buffer; answer: (status: number, body: string) => ProxyAnswer } };

type VerdictKind = 'answer' | 'forwardThenAnswer' | 'forwardThenDrop' | 'hang' | 'rewrite';

/** May be async: a rule can act on the service itself (another client's write) before the request reaches it. */
export type Rule = (request: ProxiedRequest) => Verdict | undefined | Promise<Verdict | undefined>;

export interface FaultProxy {
  /** For the SDK client's `endpoint`. */
  endpoint: string;
  /** Every request, oldest first, with what the rule made of it. */
  readonly log: { operation?: string; method: string; path: string; fault?: VerdictKind }[];
  /** The rule for the next requests; `undefined` passes everything through. */
  setRule(rule: Rule | undefined): void;
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, answer: ProxyAnswer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  res.end(answer.body);
}

/**
 * An HTTP proxy in front of a local stand-in (dynalite, the local shadow service) that injects the faults the
 * stand-in cannot produce by itself. The SDK client under test talks real HTTP to it, so its own retry
 * strategy, error parsing and the adapters above it run exactly as against AWS.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rule: Rule | undefined;
  const log: FaultProxy['log'] = [];

  const forward = (req: ProxiedRequest): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.path,
          headers: { ...req.headers, host: upstream.host, 'content-length': String(req.body.length) },
        },
        (answer) => {
          readAll(answer).then((body) => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: body.toString('utf8') }), reject);
        },
      );
      out.on('error', reject);
      out.end(req.body);
    });

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const target = req.headers['x-amz-target'];
      const request: ProxiedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        ...(typeof target === 'string' ? { operation: target.split('.').pop()! } : {}),
      };
      const verdict = await rule?.(request);
      const kind = verdict ? (Object.keys(verdict)[0] as VerdictKind) : undefined;
      log.push({ ...(request.operation ? { operation: request.operation } : {}), method: request.method, path: request.path, ...(kind ? { fault: kind } : {}) });
      if (verdict && 'answer' in verdict) return send(res, verdict.answer);
      if (verdict && 'forwardThenAnswer' in verdict) {
        await forward(request);
        return send(res, verdict.forwardThenAnswer);
      }
      if (verdict && 'hang' in verdict) return;
      if (verdict && 'forwardThenDrop' in verdict) {
        await forward(request);
        res.socket?.destroy();
        return;
      }
      if (verdict && 'rewrite' in verdict) {
        const real = await forward({ ...request, body: verdict.rewrite.body });
        return send(res, verdict.rewrite.answer(real.status, real.body));
      }
      const real = await forward(request);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(real.headers)) {
        if (value !== undefined && !['content-length', 'transfer-encoding', 'connection'].includes(name)) headers[name] = String(value);
      }
      send(res, { status: real.status, headers, body: real.body });
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 502, body: JSON.stringify({ message: `fault proxy: ${(e as Error).message}` }) });
      else res.destroy();
    });
  });
  const port = await listenOnLoopback(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    setRule: (next) => {
      rule = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The error bodies DynamoDB answers (awsJson1_0: HTTP 400 and `__type`), which the SDK turns into its typed exceptions. */
export const dynamoError = (type: 'ProvisionedThroughputExceededException' | 'ThrottlingException' | 'InternalServerError', message: string): ProxyAnswer => ({
  status: type === 'InternalServerError' ? 500 : 400,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type },
  body: JSON.stringify({
    __type: type === 'ThrottlingException' ? 'com.amazon.coral.availability#ThrottlingException' : `com.amazonaws.dynamodb.v20120810#${type}`,
    message,
  }),
});

export const THROUGHPUT_EXCEEDED = dynamoError(
  'ProvisionedThroughputExceededException',
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
);
export const THROTTLED = dynamoError('ThrottlingException', 'Throughput exceeds the current capacity of your table or index.');

/** The table a DynamoDB request is about (single-table operations, and the first table of a batch). */
export function tableOf(request: ProxiedRequest): string | undefined {
  try {
    const body = JSON.parse(request.body.toString('utf8')) as { TableName?: string; RequestItems?: Record<string, unknown> };
    return body.TableName ?? Object.keys(body.RequestItems ?? {})[0];
  } catch {
    return undefined;
  }
}

/** Answers the first `times` requests the predicate matches with `answer`; the rest pass through. */
export function firstN(times: number, matches: (request: ProxiedRequest) => boolean, answer: ProxyAnswer): ((request: ProxiedRequest) => Verdict | undefined) & { readonly used: number } {
  let used = 0;
  const rule = ((request: ProxiedRequest) => {
    if (used >= times || !matches(request)) return undefined;
    used++;
    return { answer };
  }) as ((request: ProxiedRequest) => Verdict | undefined) & { used: number };
  Object.defineProperty(rule, 'used', { get: () => used });
  return rule;
}
