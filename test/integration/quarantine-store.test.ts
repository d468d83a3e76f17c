import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';

describe('quarantine store (real SDK against dynalite)', () => {
  let db: DynamoFixture;
  let store: DynamoQuarantineStore;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 12, minute));

  beforeAll(async () => {
    db = await startDynamoFixture();
    store = db.stores.quarantine();
  });
  afterAll(async () => db?.close());

  it('files a queued message once however often it is redelivered, each other input every time, in time order', async () => {
    await store.put('telemetry', at(5), 'telemetry is not valid JSON', '{broken', 'msg-1');
    await store.put('telemetry', at(9), 'telemetry is not valid JSON', '{broken', 'msg-1');
    // The same id with other content is not a redelivery.
    await store.put('telemetry', at(7), 'telemetry is not valid JSON', '{other', 'msg-1');
    await store.put('telemetry', at(1), 'event is invalid', '{"id":1}');
    await store.put('telemetry', at(1), 'event is invalid', '{"id":1}');

    expect(await store.list('telemetry')).toEqual([
      { at: at(1).toISOString(), reason: 'event is invalid', raw: '{"id":1}' },
      { at: at(1).toISOString(), reason: 'event is invalid', raw: '{"id":1}' },
      { at: at(5).toISOString(), reason: 'telemetry is not valid JSON', raw: '{broken' },
      { at: at(7).toISOString(), reason: 'telemetry is not valid JSON', raw: '{other' },
    ]);
    expect(await store.list('presence')).toEqual([]);
  });
});
