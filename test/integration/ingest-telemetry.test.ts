import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeviceStateStore } from '../../functions/adapters/dynamodb/device-state-store.ts';
import { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import { DynamoTelemetryHistory } from '../../functions/adapters/dynamodb/telemetry-history.ts';
import { makeHandler } from '../../functions/handlers/ingest-telemetry.ts';
import type { DeviceStateStore } from '../../functions/ports/stores.ts';
import { lambdaContext, sqsEvent } from '../support/sqs-event.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';

const NOW = new Date('2023-01-10T12:00:00Z');
const message = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ schema: 'hearth.telemetry/1', deviceId: 'heater-1', seq: 1, ts: '2023-01-10T11:59:00Z', roomC: 20.5, powerW: 900, ...over });

describe('ingest-telemetry against dynalite', () => {
  let db: DynamoFixture;
  let state: DynamoDeviceStateStore;
  let history: DynamoTelemetryHistory;
  let quarantine: DynamoQuarantineStore;
  let handler: ReturnType<typeof makeHandler>;

  beforeAll(async () => {
    db = await startDynamoFixture();
    state = new DynamoDeviceStateStore(db.doc, db.tableNames.deviceState);
    history = new DynamoTelemetryHistory(db.doc, db.tableNames.telemetryHistory);
    quarantine = new DynamoQuarantineStore(db.doc, db.tableNames.quarantine);
    handler = makeHandler({ state, history, quarantine, clock: { now: () => NOW } });
  });
  afterAll(async () => db.close());

  it('stores the latest state and the history, and a redelivery changes nothing', async () => {
    const out = await handler(sqsEvent([message()]), lambdaContext);
    expect(out.batchItemFailures).toEqual([]);
    await handler(sqsEvent([message()]), lambdaContext);
    expect((await state.get('heater-1'))?.roomC).toBe(20.5);
    expect(await history.range('heater-1', new Date('2023-01-10T00:00:00Z'), NOW)).toHaveLength(1);
  });

  it('never moves the latest state backwards for an older message delivered late', async () => {
    await handler(sqsEvent([message({ seq: 3, ts: '2023-01-10T11:59:40Z', roomC: 21 }), message({ seq: 2, ts: '2023-01-10T11:59:20Z', roomC: 19 })]), lambdaContext);
    expect((await state.get('heater-1'))?.roomC).toBe(21);
    expect(await history.range('heater-1', new Date('2023-01-10T00:00:00Z'), NOW)).toHaveLength(3);
  });

  it('quarantines malformed, invalid, oversized, future-dated and mis-addressed telemetry with a reason', async () => {
    const bad = [
      '{not json',
      message({ roomC: 'warm' }),
      message({ extra: 'x'.repeat(5000) }),
      message({ seq: 9, ts: '2023-01-10T13:00:00Z' }),
      JSON.stringify({ ...JSON.parse(message({ seq: 10 })), topicDeviceId: 'heater-2' }),
    ];
    const out = await handler(sqsEvent(bad), lambdaContext);
    expect(out.batchItemFailures).toEqual([]);
    const reasons = (await quarantine.list('telemetry')).map((q) => q.reason);
    expect(reasons).toHaveLength(5);
    for (const expected of [/not valid JSON/, /roomC/, /bytes; the limit is 4096/, /in the future/, /does not match the topic's device heater-2/]) {
      expect(reasons.some((r) => expected.test(r)), `a reason matching ${expected}`).toBe(true);
    }
    expect((await state.get('heater-1'))?.seq).toBe(3);
  });

  it('accepts the device id the IoT rule adds from the topic when it agrees', async () => {
    const body = JSON.stringify({ ...JSON.parse(message({ seq: 11, ts: '2023-01-10T11:59:50Z' })), topicDeviceId: 'heater-1' });
    await handler(sqsEvent([body]), lambdaContext);
    expect((await state.get('heater-1'))?.seq).toBe(11);
  });

  it('reports only the record whose store failed, so SQS redelivers just that one', async () => {
    const failing: DeviceStateStore = {
      advance: async (m) => {
        if (m.deviceId === 'heater-broken') throw new Error('ProvisionedThroughputExceededException');
        return state.advance(m, NOW);
      },
      get: (id) => state.get(id),
    };
    const h = makeHandler({ state: failing, history, quarantine, clock: { now: () => NOW } });
    const out = await h(sqsEvent([message({ deviceId: 'heater-ok', seq: 1 }), message({ deviceId: 'heater-broken', seq: 1 })]), lambdaContext);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect((await state.get('heater-ok'))?.seq).toBe(1);
  });
});
