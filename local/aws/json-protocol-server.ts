import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { BusEntry, LocalEventBus } from './event-bus.ts';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';

/** Largest request accepted, as EventBridge's 256 KB PutEvents limit. */
const MAX_BODY_BYTES = 256 * 1024;

export interface LocalJsonServices {
  endpoint: string;
  close(): Promise<void>;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ServiceError('ValidationException', `request exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The AWS JSON-protocol services the local twin needs (EventBridge PutEvents, Secrets Manager
 * GetSecretValue) on one loopback port, so handlers use the real SDK clients unchanged.
 */
export async function startLocalJsonServices(options: {
  bus: LocalEventBus;
  secrets: Record<string, string>;
  port?: number;
}): Promise<LocalJsonServices> {
  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    'AWSEvents.PutEvents': (input) => {
      const entries = input.Entries;
      if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
        throw new ServiceError('ValidationException', 'Entries must hold 1 to 10 events');
      }
      return { FailedEntryCount: 0, Entries: options.bus.put(entries as BusEntry[]) };
    },
    'secretsmanager.GetSecretValue': (input) => {
      const id = String(input.SecretId ?? '');
      const value = options.secrets[id];
      if (value === undefined) throw new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret: ${id}`);
      return { ARN: `arn:aws:secretsmanager:local:000000000000:secret:${id}`, Name: id, SecretString: value, VersionId: 'local' };
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = operations[target];
        if (!operation) throw new ServiceError('UnknownOperationException', `operation ${target || '(none)'} is not served locally`);
        const body = await readBody(req);
        const result = operation(body ? (JSON.parse(body) as Record<string, unknown>) : {});
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(result));
      } catch (e) {
        const err = e instanceof ServiceError ? e : new ServiceError('InternalException', (e as Error).message, 500);
        res.writeHead(err.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: err.type, message: err.message }));
      }
    })();
  });
  const port = await listenOnLoopback(server, options.port);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
