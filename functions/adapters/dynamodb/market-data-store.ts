import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MarketDataStore, MarketDay } from '../../ports/stores.ts';
import { epochSeconds, writeIf } from './conditional.ts';
import { queryAll } from './paginate.ts';

/**
 * One item per series and day. A write carrying the same content hash is held back by its condition, which
 * makes a re-fetch idempotent and tells the caller whether anything new arrived.
 */
export class DynamoMarketDataStore implements MarketDataStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putDay<T>(day: MarketDay<T>, expiresAt?: Date): Promise<'new' | 'changed' | 'unchanged'> {
    let existed = false;
    const written = await writeIf(async () => {
      const out = await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...day, ...(expiresAt ? { expiresAt: epochSeconds(expiresAt) } : {}) },
          ConditionExpression: 'attribute_not_exists(series) OR #h <> :h',
          ExpressionAttributeNames: { '#h': 'hash' },
          ExpressionAttributeValues: { ':h': day.hash },
          ReturnValues: 'ALL_OLD',
        }),
      );
      existed = out.Attributes !== undefined;
    });
    if (!written) return 'unchanged';
    return existed ? 'changed' : 'new';
  }

  async getDays<T>(series: string, fromDay: string, toDay: string): Promise<MarketDay<T>[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'series = :s AND #day BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':s': series, ':from': fromDay, ':to': toDay },
    });
    return items.map(({ expiresAt: _e, ...d }) => d as unknown as MarketDay<T>);
  }
}
