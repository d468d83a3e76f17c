import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GridEventRecord, GridEventStore } from '../../ports/stores.ts';
import { writeIf } from './conditional.ts';
import { scanAll } from './paginate.ts';

/** An event is replaced only by a later modification, so redeliveries and reordered updates have one effect. */
export class DynamoGridEventStore implements GridEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async upsert(record: GridEventRecord): Promise<'new' | 'updated' | 'unchanged'> {
    const modifiedAtMs = Date.parse(record.modifiedAt);
    let existed = false;
    // An OpenADR VTN announces a deleted event with the object as it last was, modification time unchanged:
    // at the same time, the cancellation wins, and a replay of the active version never brings it back.
    const sameTimeCancels = record.cancelled ? ' OR (modifiedAtMs = :m AND cancelled = :active)' : '';
    const written = await writeIf(async () => {
      const out = await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...record, announced: false, modifiedAtMs },
          ConditionExpression: `attribute_not_exists(gridEventId) OR modifiedAtMs < :m${sameTimeCancels}`,
          ExpressionAttributeValues: { ':m': modifiedAtMs, ...(record.cancelled ? { ':active': false } : {}) },
          ReturnValues: 'ALL_OLD',
        }),
      );
      existed = out.Attributes !== undefined;
    });
    if (!written) return 'unchanged';
    return existed ? 'updated' : 'new';
  }

  async markAnnounced(gridEventId: string, modifiedAt: string): Promise<void> {
    await writeIf(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { gridEventId },
          UpdateExpression: 'SET announced = :yes',
          ConditionExpression: 'modifiedAtMs = :m',
          ExpressionAttributeValues: { ':yes': true, ':m': Date.parse(modifiedAt) },
        }),
      ),
    );
  }

  async get(gridEventId: string): Promise<GridEventRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { gridEventId }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { modifiedAtMs: _m, ...record } = Item;
    return record as GridEventRecord;
  }

  async listAll(): Promise<GridEventRecord[]> {
    return (await scanAll(this.client, { TableName: this.table })).map(({ modifiedAtMs: _m, ...r }) => r as unknown as GridEventRecord);
  }
}
