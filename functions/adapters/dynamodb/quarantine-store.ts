import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuarantineStore } from '../../ports/stores.ts';
import { epochSeconds } from './conditional.ts';
import { queryAll } from './paginate.ts';

/** Raw bodies are cut here so one oversized input cannot exceed DynamoDB's 400 KB item limit. */
const MAX_RAW_CHARS = 16_384;
const KEEP_DAYS = 14;

export class DynamoQuarantineStore implements QuarantineStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(source: string, at: Date, reason: string, raw: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          source,
          at: `${at.toISOString()}#${randomUUID()}`,
          reason: reason.slice(0, 2000),
          raw: raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}…(${raw.length} chars)` : raw,
          expiresAt: epochSeconds(at) + KEEP_DAYS * 86_400,
        },
      }),
    );
  }

  async list(source: string): Promise<{ at: string; reason: string; raw: string }[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'source' },
      ExpressionAttributeValues: { ':s': source },
    });
    return items.map((i) => ({ at: String(i.at).split('#')[0]!, reason: String(i.reason), raw: String(i.raw) }));
  }
}
