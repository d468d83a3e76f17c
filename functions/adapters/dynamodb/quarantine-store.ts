import { createHash, randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuarantineStore } from '../../ports/stores.ts';
import { epochSeconds, writeIf } from './conditional.ts';
import { queryAll } from './paginate.ts';

/** Raw bodies are cut here so one oversized input cannot exceed DynamoDB's 400 KB item limit. */
const MAX_RAW_CHARS = 16_384;
const KEEP_DAYS = 14;

const bodyHash = (raw: string): string => createHash('sha256').update(raw).digest('base64url').slice(0, 22);

export class DynamoQuarantineStore implements QuarantineStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The sort key `at` is `<time>#<random>`, or for a queued message `msg#<message id>#<hash of the body>` (the
   * hash, should an id ever come back with other content), written on the condition that it is not there yet;
   * `refusedAt` holds the time either way.
   */
  async put(source: string, at: Date, reason: string, raw: string, messageId?: string): Promise<void> {
    await writeIf(() =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            source,
            at: messageId !== undefined ? `msg#${messageId}#${bodyHash(raw)}` : `${at.toISOString()}#${randomUUID()}`,
            refusedAt: at.toISOString(),
            reason: reason.slice(0, 2000),
            raw: raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}…(${raw.length} chars)` : raw,
            expiresAt: epochSeconds(at) + KEEP_DAYS * 86_400,
          },
          ...(messageId !== undefined ? { ConditionExpression: 'attribute_not_exists(#at)', ExpressionAttributeNames: { '#at': 'at' } } : {}),
        }),
      ),
    );
  }

  async list(source: string): Promise<{ at: string; reason: string; raw: string }[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'source' },
      ExpressionAttributeValues: { ':s': source },
    });
    return items
      .map((i) => ({ at: typeof i.refusedAt === 'string' ? i.refusedAt : String(i.at).split('#')[0]!, reason: String(i.reason), raw: String(i.raw) }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}
