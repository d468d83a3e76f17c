import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PlanDocument } from '../../../schemas/shadow.ts';
import type { PlanStore, StoredPlan } from '../../ports/stores.ts';
import { epochSeconds, writeIf } from './conditional.ts';

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
    if (!item) return undefined;
    return {
      deviceId,
      plan: PlanDocument.parse(item.plan),
      createdAt: String(item.createdAt),
      reason: String(item.reason),
      policy: String(item.policy),
    };
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
