import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeviceStatus, DeviceStatusStore, PresenceChange } from '../../ports/stores.ts';
import { batchGetAll, distinct } from './batch-get.ts';
import { writeIf } from './conditional.ts';

/** At the same millisecond and version, a disconnect is taken as the later event: a device is never left online by a tie. */
const rank = (online: boolean): number => (online ? 0 : 1);

/**
 * One item per device with two independent parts, each written with UpdateItem so neither overwrites the other:
 * presence, which moves forward in lifecycle-event order (time, then version, then disconnect after connect), and
 * the plan version held in the shadow, which only grows.
 */
export class DynamoDeviceStatusStore implements DeviceStatusStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordPresence(change: PresenceChange): Promise<'applied' | 'stale'> {
    const at = new Date(change.atMs).toISOString();
    const applied = await writeIf(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { deviceId: change.deviceId },
          UpdateExpression: `SET #online = :online, presenceAt = :at, presenceAtMs = :t, presenceVersion = :v, presenceRank = :r, ${
            change.online ? 'lastConnectedAt = :at REMOVE disconnectReason' : 'lastDisconnectedAt = :at, disconnectReason = :reason'
          }`,
          ConditionExpression:
            'attribute_not_exists(presenceAtMs) OR presenceAtMs < :t OR (presenceAtMs = :t AND (presenceVersion < :v OR (presenceVersion = :v AND presenceRank < :r)))',
          // ONLINE is a DynamoDB reserved word.
          ExpressionAttributeNames: { '#online': 'online' },
          ExpressionAttributeValues: {
            ':online': change.online,
            ':at': at,
            ':t': change.atMs,
            ':v': change.versionNumber,
            ':r': rank(change.online),
            ...(change.online ? {} : { ':reason': change.disconnectReason ?? 'UNKNOWN' }),
          },
        }),
      ),
    );
    return applied ? 'applied' : 'stale';
  }

  async recordDesiredPlan(deviceId: string, v: number, at: Date): Promise<'applied' | 'stale'> {
    const applied = await writeIf(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { deviceId },
          UpdateExpression: 'SET desiredPlanV = :v, desiredAt = :at',
          ConditionExpression: 'attribute_not_exists(desiredPlanV) OR desiredPlanV < :v',
          ExpressionAttributeValues: { ':v': v, ':at': at.toISOString() },
        }),
      ),
    );
    return applied ? 'applied' : 'stale';
  }

  async getMany(deviceIds: readonly string[]): Promise<Map<string, DeviceStatus>> {
    const items = await batchGetAll(this.client, this.table, distinct(deviceIds).map((deviceId) => ({ deviceId })));
    return new Map(
      items.map(({ presenceAtMs: _t, presenceVersion: _v, presenceRank: _r, ...status }) => [String(status.deviceId), status as unknown as DeviceStatus]),
    );
  }

  async delete(deviceId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { deviceId } }));
  }
}
