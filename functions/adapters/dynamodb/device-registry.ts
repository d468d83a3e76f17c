import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeviceRecord } from '../../../schemas/device.ts';
import type { DeviceRegistry } from '../../ports/stores.ts';
import { batchGetAll } from './batch-get.ts';
import { queryAll, scanAll } from './paginate.ts';

/** Items are checked on the way out too: a record edited by hand must not reach the planner malformed. */
const toRecord = (item: Record<string, unknown>): DeviceRecord => DeviceRecord.parse(item);

export class DynamoDeviceRegistry implements DeviceRegistry {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(deviceId: string): Promise<DeviceRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.table, Key: { deviceId } }));
    return Item ? toRecord(Item) : undefined;
  }

  async getMany(deviceIds: readonly string[]): Promise<DeviceRecord[]> {
    const keys = [...new Set(deviceIds)].map((deviceId) => ({ deviceId }));
    return (await batchGetAll(this.client, this.table, keys)).map(toRecord);
  }

  async put(device: DeviceRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: DeviceRecord.parse(device) }));
  }

  async delete(deviceId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { deviceId } }));
  }

  async listAll(): Promise<DeviceRecord[]> {
    return (await scanAll(this.client, { TableName: this.table })).map(toRecord);
  }

  async *pages(): AsyncIterable<DeviceRecord[]> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey }));
      yield (page.Items ?? []).map(toRecord);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  async listByZone(zone: string): Promise<DeviceRecord[]> {
    return this.listByIndex('byZone', 'zone', zone);
  }

  async listByWeatherCell(cellId: string): Promise<DeviceRecord[]> {
    return this.listByIndex('byWeatherCell', 'weatherCellId', cellId);
  }

  private async listByIndex(indexName: string, key: string, value: string): Promise<DeviceRecord[]> {
    const items = await queryAll(this.client, {
      TableName: this.table,
      IndexName: indexName,
      KeyConditionExpression: '#k = :v',
      ExpressionAttributeNames: { '#k': key },
      ExpressionAttributeValues: { ':v': value },
    });
    return items.map(toRecord);
  }
}
