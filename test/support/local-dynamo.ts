import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClient, startLocalDynamo, type LocalDynamo } from '../../local/aws/dynamodb-local.ts';

export interface DynamoFixture extends LocalDynamo {
  doc: DynamoDBDocumentClient;
}

/** dynalite with the wiring's tables and a document client on it; close() ends both. */
export async function startDynamoFixture(): Promise<DynamoFixture> {
  const local = await startLocalDynamo();
  const doc = DynamoDBDocumentClient.from(localClient(local.endpoint), { marshallOptions: { removeUndefinedValues: true } });
  return {
    ...local,
    doc,
    close: async () => {
      doc.destroy();
      await local.close();
    },
  };
}
