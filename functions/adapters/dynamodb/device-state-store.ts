import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TelemetryMessage } from '../../../schemas/telemetry.ts';
import type { DeviceState, DeviceStateStore } from '../../ports/stores.ts';
import { batchGetAll, distinct } from './batch-get.ts';
import { writeIf } from './conditional.ts';

const toState = ({ tsMs: _tsMs, ...state }: Record<string, unknown>): DeviceState => state as unknown as DeviceState;

/**
 * Latest state per device. The write is conditional on device time (then sequence), so a late or repeated
 * message never moves a device's state backwards, whatever order SQS delivers in.
 */
export class DynamoDeviceStateStore implements DeviceStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async advance(message: TelemetryMessage, receivedAt: Date): Promise<'applied' | 'stale'> {
    const tsMs = Date.parse(message.ts);
    const applied = await writeIf(() =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...message, tsMs, receivedAt: receivedAt.toISOString() },
          ConditionExpression: 'attribute_not_exists(deviceId) OR tsMs < :ts OR (tsMs = :ts AND #seq < :seq)',
          ExpressionAttributeNames: { '#seq': 'seq' },
          ExpressionAttributeValues: { ':ts': tsMs, ':seq': message.seq },
        }),
      ),
    );
    return applied ? 'applied' : 'stale';
  }

  async get(deviceId: string): Promise<DeviceState | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { deviceId }, ConsistentRead: true }));
    return Item ? toState(Item) : undefined;
  }

  /** Eventually consistent: callers decide on it and then write conditionally, which settles any race. */
  async getMany(deviceIds: readonly string[]): Promise<Map<string, DeviceState>> {
    const items = await batchGetAll(this.client, this.table, distinct(deviceIds).map((deviceId) => ({ deviceId })));
    return new Map(items.map((item) => [String(item.deviceId), toState(item)]));
  }
}
