import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, type AttributeDefinition, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { tables, type TableSpec } from '../../wiring/tables.ts';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';
import { countDynamoRequests, type DynamoRequestCounts } from './dynamodb-request-counter.ts';

export interface LocalDynamo {
  endpoint: string;
  /** Table name per wiring key; locally each table is named by its id and a prefix. */
  tableNames: Record<keyof typeof tables, string>;
  /** Requests answered so far, table creation included; with dynalite in its own process, the CPU time it spent. */
  usage(): Promise<DynamoUsage>;
  close(): Promise<void>;
}

/** The CreateTable call for one table of the wiring (dynalite has no TTL: the attribute is simply kept). */
export function createTableInput(spec: TableSpec, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, AttributeDefinition>();
  const add = (a: { name: string; type: 'S' | 'N' }) => attributes.set(a.name, { AttributeName: a.name, AttributeType: a.type });
  add(spec.partitionKey);
  if (spec.sortKey) add(spec.sortKey);
  for (const gsi of spec.globalIndexes ?? []) {
    add(gsi.partitionKey);
    if (gsi.sortKey) add(gsi.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()],
    KeySchema: [
      { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    ...(spec.globalIndexes?.length
      ? {
          GlobalSecondaryIndexes: spec.globalIndexes.map((g) => ({
            IndexName: g.indexName,
            KeySchema: [
              { AttributeName: g.partitionKey.name, KeyType: 'HASH' as const },
              ...(g.sortKey ? [{ AttributeName: g.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** Creates every table of the wiring on the given endpoint, named `<prefix><id>`. */
export async function createWiringTables(client: DynamoDBClient, prefix = 'hearth-'): Promise<Record<keyof typeof tables, string>> {
  const names = {} as Record<keyof typeof tables, string>;
  for (const [key, spec] of Object.entries(tables) as [keyof typeof tables, TableSpec][]) {
    names[key] = `${prefix}${spec.id}`;
    await client.send(new CreateTableCommand(createTableInput(spec, names[key])));
  }
  return names;
}

export interface DynamoUsage {
  requests: DynamoRequestCounts;
  /** CPU time of the child process (user + system), when dynalite runs in one. */
  cpuMs?: number;
}

export interface LocalDynamoOptions {
  port?: number;
  /**
   * Run dynalite in a child process, on the other core: worth it when the handlers in this process keep a core
   * busy (a fleet replan); this process then spends no time answering its own requests.
   */
  inChildProcess?: boolean;
}

/** dynalite in memory on a loopback port, in this process or a child, with the wiring's tables created. */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const started = options.inChildProcess ? await startInChildProcess() : await startInThisProcess(options.port);
  const client = localClient(started.endpoint);
  try {
    return { endpoint: started.endpoint, tableNames: await createWiringTables(client), usage: started.usage, close: started.close };
  } catch (e) {
    await started.close();
    throw e;
  } finally {
    client.destroy();
  }
}

interface Started {
  endpoint: string;
  usage(): Promise<DynamoUsage>;
  close(): Promise<void>;
}

async function startInThisProcess(port: number | undefined): Promise<Started> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const counted = countDynamoRequests(server);
  const endpoint = `http://127.0.0.1:${await listenOnLoopback(server, port)}`;
  return { endpoint, usage: async () => ({ requests: counted() }), close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** How long the child may take to load and listen before starting it counts as failed. */
const CHILD_START_TIMEOUT_MS = 20_000;

async function startInChildProcess(): Promise<Started> {
  const child = fork(fileURLToPath(new URL('./dynalite-process.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const port = await childPort(child);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      usage: () => childUsage(child),
      async close() {
        // Closing the IPC channel tells the child to stop; it is killed if it does not.
        if (child.connected) child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    throw e;
  }
}

function childUsage(child: ChildProcess): Promise<DynamoUsage> {
  return new Promise<DynamoUsage>((resolve, reject) => {
    if (!child.connected) return reject(new Error('the dynalite child has stopped'));
    const answer = (message: { type?: unknown } & Partial<DynamoUsage>) => {
      if (message.type !== 'usage' || !message.requests) return;
      child.off('message', answer);
      resolve({ requests: message.requests, ...(message.cpuMs !== undefined ? { cpuMs: message.cpuMs } : {}) });
    };
    child.on('message', answer);
    child.send({ type: 'usage' });
  });
}

function childPort(child: ChildProcess): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dynalite did not start within ${CHILD_START_TIMEOUT_MS / 1000} s`)), CHILD_START_TIMEOUT_MS);
    const done = () => clearTimeout(timer);
    child.once('message', (message: { type?: unknown; port?: unknown }) => {
      done();
      if (message.type === 'listening' && typeof message.port === 'number') resolve(message.port);
      else reject(new Error(`dynalite child sent no port: ${JSON.stringify(message)}`));
    });
    child.once('error', (e) => {
      done();
      reject(e);
    });
    child.once('exit', (code, signal) => {
      done();
      reject(new Error(`dynalite child exited before listening (code ${code}, signal ${signal})`));
    });
  });
}

/** The environment a handler reads its tables and DynamoDB endpoint from. */
export function dynamoEnvironment(local: LocalDynamo): Record<string, string> {
  const env: Record<string, string> = { AWS_ENDPOINT_URL_DYNAMODB: local.endpoint };
  for (const [key, name] of Object.entries(local.tableNames)) env[tables[key as keyof typeof tables].envVar] = name;
  return env;
}
