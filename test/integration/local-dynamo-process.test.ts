import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { localClient, startLocalDynamo } from '../../local/aws/dynamodb-local.ts';

describe('dynalite in a child process', () => {
  it('serves the wiring tables through the real SDK, counts requests and CPU, and ends with close', async () => {
    const local = await startLocalDynamo({ inChildProcess: true });
    const doc = DynamoDBDocumentClient.from(localClient(local.endpoint));
    try {
      const before = await local.usage();
      await doc.send(new PutCommand({ TableName: local.tableNames.devices, Item: { deviceId: 'heater-1', zone: 'DK1' } }));
      const { Item } = await doc.send(new GetCommand({ TableName: local.tableNames.devices, Key: { deviceId: 'heater-1' } }));
      expect(Item).toMatchObject({ deviceId: 'heater-1', zone: 'DK1' });

      const after = await local.usage();
      expect(before.requests.CreateTable).toBeGreaterThan(0);
      expect((after.requests.PutItem ?? 0) - (before.requests.PutItem ?? 0)).toBe(1);
      expect((after.requests.GetItem ?? 0) - (before.requests.GetItem ?? 0)).toBe(1);
      expect(after.cpuMs).toBeGreaterThan(0);
    } finally {
      doc.destroy();
      await local.close();
    }
    await expect(local.usage()).rejects.toThrow('the dynalite child has stopped');
  }, 30_000);
});
