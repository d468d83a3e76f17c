import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TelemetryMessage } from '../../../schemas/telemetry.ts';
import type { TelemetryHistory } from '../../ports/stores.ts';
import { epochSeconds, writeIf } from './conditional.ts';
import { queryAll } from './paginate.ts';

/** Sort key: UTC instant then sequence, so a range query reads in device time and a re-delivery collides. */
const sortKey = (m: TelemetryMessage): string => `${new Date(m.ts).toISOString()}#${String(m.seq).padStart(12, '0')}`;

export class DynamoTelemetryHistory implements TelemetryHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(message: TelemetryMessage, expiresAt: Date): Promise<'stored' | 'duplicate'> {
    const stored = await writeIf(() =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...message, at: sortKey(message), expiresAt: epochSeconds(expiresAt) },
          ConditionExpression: 'attribute_not_exists(deviceId)',
        }),
      ),
    );
    return stored ? 'stored' : 'duplicate';
  }

  async range(deviceId: string, from: Date, to: Date): Promise<TelemetryMessage[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'deviceId = :d AND #at BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':d': deviceId, ':from': from.toISOString(), ':to': `${to.toISOString()}#~` },
    });
    return items.map(({ at: _at, expiresAt: _e, ...m }) => m as TelemetryMessage);
  }
}
