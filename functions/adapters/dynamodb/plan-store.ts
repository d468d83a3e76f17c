import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PlanDocument } from '../../../schemas/shadow.ts';
import type { PlanStore, StoredPlan } from '../../ports/stores.ts';
import { batchGetAll } from './batch-get.ts';
import { epochSeconds, writeIf } from './conditional.ts';

const toStoredPlan = (item: Record<string, unknown>): StoredPlan => ({
  deviceId: String(item.deviceId),
  plan: PlanDocument.parse(item.plan),
  createdAt: String(item.createdAt),
  reason: String(item.reason),
  policy: String(item.policy),
  ...(typeof item.gridEventId === 'string' ? { gridEventId: item.gridEventId } : {}),
});

export class DynamoPlanStore implements PlanStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async latest(deviceId: string): Promise<StoredPlan | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'deviceId = :d',
        ExpressionAttributeValues: { ':d': deviceId },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = Items?.[0];
    return item ? toStoredPlan(item) : undefined;
  }

  async getMany(keys: readonly { deviceId: string; v: number }[]): Promise<Map<string, StoredPlan>> {
    const unique = [...new Map(keys.map((k) => [`${k.deviceId}#${k.v}`, { deviceId: k.deviceId, v: k.v }])).values()];
    const items = await batchGetAll(this.client, this.table, unique);
    return new Map(items.map((item) => [String(item.deviceId), toStoredPlan(item)]));
  }

  async put(plan: StoredPlan, expiresAt: Date): Promise<'stored' | 'exists'> {
    const stored = await writeIf(() =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...plan, v: plan.plan.v, expiresAt: epochSeconds(expiresAt) },
          ConditionExpression: 'attribute_not_exists(deviceId)',
        }),
      ),
    );
    return stored ? 'stored' : 'exists';
  }
}
