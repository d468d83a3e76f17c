import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { storesOn } from '../../functions/adapters/dynamodb/stores.ts';
import { localClient, startLocalDynamo, type LocalDynamo } from '../../local/aws/dynamodb-local.ts';

export interface DynamoFixture extends LocalDynamo {
  doc: DynamoDBDocumentClient;
  /** The handlers' stores, on this fixture's client and tables. */
  stores: ReturnType<typeof storesOn>;
}

/** dynalite with the wiring's tables and a document client on it; close() ends both. */
export async function startDynamoFixture(): Promise<DynamoFixture> {
  const local = await startLocalDynamo();
  const doc = DynamoDBDocumentClient.from(localClient(local.endpoint), { marshallOptions: { removeUndefinedValues: true } });
  return {
    ...local,
    doc,
    stores: storesOn(() => doc, (key) => local.tableNames[key]),
    close: async () => {
      doc.destroy();
      await local.close();
    },
  };
}
