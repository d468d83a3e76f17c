import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchWriteItem takes at most 25 requests. */
export const MAX_BATCH_WRITE = 25;
const MAX_ROUNDS = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BatchPutResult {
  /** Items still unwritten: those DynamoDB kept leaving unprocessed, or all that were pending when a request failed. */
  unwritten: Record<string, unknown>[];
  error?: string;
}

/**
 * Puts up to 25 items in one request, retrying what DynamoDB leaves unprocessed with a growing pause. Never
 * throws: the caller decides what an unwritten item means.
 */
export async function batchPut(client: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]): Promise<BatchPutResult> {
  if (items.length > MAX_BATCH_WRITE) throw new RangeError(`at most ${MAX_BATCH_WRITE} items per BatchWriteItem; got ${items.length}`);
  let pending = [...items];
  for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
    if (round > 0) await sleep(Math.random() * Math.min(1000, 25 * 2 ** round));
    try {
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
      pending = (out.UnprocessedItems?.[table] ?? []).map((r) => r.PutRequest!.Item as Record<string, unknown>);
    } catch (e) {
      return { unwritten: pending, error: (e as Error).message };
    }
  }
  return { unwritten: pending, ...(pending.length ? { error: `${pending.length} items left unprocessed after ${MAX_ROUNDS} rounds` } : {}) };
}
