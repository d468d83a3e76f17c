import { CreateTableCommand, DynamoDBClient, type AttributeDefinition, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { tables, type TableSpec } from '../../wiring/tables.ts';
import { listenOnLoopback } from '../net/listen-on-loopback.ts';

export interface LocalDynamo {
  endpoint: string;
  /** Table name per wiring key; locally each table is named by its id and a prefix. */
  tableNames: Record<keyof typeof tables, string>;
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

/** dynalite in this process, in memory, on a loopback port, with the wiring's tables created. */
export async function startLocalDynamo(options: { port?: number } = {}): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const endpoint = `http://127.0.0.1:${await listenOnLoopback(server, options.port)}`;
  const client = localClient(endpoint);
  try {
    const tableNames = await createWiringTables(client);
    return {
      endpoint,
      tableNames,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  } finally {
    client.destroy();
  }
}

/** The environment a handler reads its tables and DynamoDB endpoint from. */
export function dynamoEnvironment(local: LocalDynamo): Record<string, string> {
  const env: Record<string, string> = { AWS_ENDPOINT_URL_DYNAMODB: local.endpoint };
  for (const [key, name] of Object.entries(local.tableNames)) env[tables[key as keyof typeof tables].envVar] = name;
  return env;
}
