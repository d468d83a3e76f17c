import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KnownDevices } from '../../ports/known-devices.ts';
import { batchGetAll, distinct } from './batch-get.ts';

/** Registry membership by BatchGetItem, reading only the key: one request per 100 devices. */
export class DynamoKnownDevices implements KnownDevices {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async known(deviceIds: readonly string[]): Promise<Set<string>> {
    const items = await batchGetAll(
      this.client,
      this.table,
      distinct(deviceIds).map((deviceId) => ({ deviceId })),
      { projection: 'deviceId' },
    );
    return new Set(items.map((item) => String(item.deviceId)));
  }
}
