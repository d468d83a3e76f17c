import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedKnownDevices } from '../../functions/adapters/cache/cached-known-devices.ts';
import type { DynamoDeviceStateStore } from '../../functions/adapters/dynamodb/device-state-store.ts';
import type { DynamoQuarantineStore } from '../../functions/adapters/dynamodb/quarantine-store.ts';
import type { DynamoTelemetryHistory } from '../../functions/adapters/dynamodb/telemetry-history.ts';
import { makeHandler } from '../../functions/handlers/ingest-telemetry.ts';
import type { KnownDevices } from '../../functions/ports/known-devices.ts';
import type { DeviceStateStore, TelemetryHistory } from '../../functions/ports/stores.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { lambdaContext, sqsEvent } from '../support/sqs-event.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';

const NOW = new Date('2023-01-10T12:00:00Z');
let now = NOW;
const clock = { now: () => now };
const DAY = new Date('2023-01-10T00:00:00Z');
const message = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ schema: 'hearth.telemetry/1', deviceId: 'heater-001', seq: 1, ts: '2023-01-10T11:50:00Z', roomC: 20.5, powerW: 800, ...over });

/** Counts the registry reads that reach DynamoDB. */
class CountingKnownDevices implements KnownDevices {
  calls = 0;
  ids = 0;
  constructor(private readonly inner: KnownDevices) {}
  async known(deviceIds: readonly string[]) {
    this.calls++;
    this.ids += deviceIds.length;
    return this.inner.known(deviceIds);
  }
}

describe('ingest-telemetry against dynalite', () => {
  let db: DynamoFixture;
  let state: DynamoDeviceStateStore;
  let history: DynamoTelemetryHistory;
  let quarantine: DynamoQuarantineStore;
  let registryReads: CountingKnownDevices;
  let handler: ReturnType<typeof makeHandler>;
  const fleet = generateFleet(150, 3);

  beforeAll(async () => {
    db = await startDynamoFixture();
    const registry = db.stores.devices();
    for (const heater of fleet) await registry.put(heater.record);
    state = db.stores.deviceState();
    history = db.stores.telemetryHistory();
    quarantine = db.stores.quarantine();
    registryReads = new CountingKnownDevices(db.stores.knownDevices());
    handler = makeHandler({ devices: new CachedKnownDevices(registryReads, clock), state, history, quarantine, clock });
  });
  afterAll(async () => db.close());

  const historyOf = (deviceId: string) => history.range(deviceId, DAY, NOW);

  it('stores the latest state and the history; a redelivery is a duplicate and changes nothing', async () => {
    const out = await handler(sqsEvent([message()]), lambdaContext);
    expect(out.batchItemFailures).toEqual([]);
    const before = await state.get('heater-001');
    expect(before).toMatchObject({ roomC: 20.5, seq: 1 });
    // Redelivered alone, and twice within one batch.
    await handler(sqsEvent([message()]), lambdaContext);
    await handler(sqsEvent([message(), message()]), lambdaContext);
    expect(await state.get('heater-001')).toEqual(before);
    expect(await historyOf('heater-001')).toHaveLength(1);
  });

  it('never moves the latest state backwards for an older message delivered late, and keeps both in history', async () => {
    await handler(sqsEvent([message({ seq: 3, ts: '2023-01-10T11:58:00Z', roomC: 21 }), message({ seq: 2, ts: '2023-01-10T11:54:00Z', roomC: 19 })]), lambdaContext);
    expect((await state.get('heater-001'))?.seq).toBe(3);
    await handler(sqsEvent([message({ seq: 2, ts: '2023-01-10T11:54:00Z', roomC: 19 })]), lambdaContext);
    expect((await state.get('heater-001'))?.roomC).toBe(21);
    expect((await historyOf('heater-001')).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('moves the state only on a material change or once it is five minutes old; history gets every message', async () => {
    // 11:58 is stored (roomC 21). 11:59: same power, +0.05 K — coalesced. 11:59:30: power changed — applied.
    await handler(sqsEvent([message({ seq: 4, ts: '2023-01-10T11:59:00Z', roomC: 21.05 })]), lambdaContext);
    expect((await state.get('heater-001'))?.seq).toBe(3);
    await handler(sqsEvent([message({ seq: 5, ts: '2023-01-10T11:59:30Z', roomC: 21.05, powerW: 0 })]), lambdaContext);
    expect((await state.get('heater-001'))?.seq).toBe(5);
    expect(await historyOf('heater-001')).toHaveLength(5);
  });

  it('quarantines malformed, invalid, oversized, future-dated and mis-addressed telemetry with a reason', async () => {
    const bad = [
      '{not json',
      message({ seq: 6, roomC: 'warm' }),
      message({ seq: 7, extra: 'x'.repeat(5000) }),
      message({ seq: 9, ts: '2023-01-10T13:00:00Z' }),
      JSON.stringify({ ...JSON.parse(message({ seq: 10 })), topicDeviceId: 'heater-002' }),
    ];
    const out = await handler(sqsEvent(bad), lambdaContext);
    expect(out.batchItemFailures).toEqual([]);
    const reasons = (await quarantine.list('telemetry')).map((q) => q.reason);
    expect(reasons).toHaveLength(5);
    for (const expected of [/not valid JSON/, /roomC/, /bytes; the limit is 4096/, /in the future/, /does not match the topic's device heater-002/]) {
      expect(reasons.some((r) => expected.test(r)), `a reason matching ${expected}`).toBe(true);
    }
    expect((await state.get('heater-001'))?.seq).toBe(5);
  });

  it('accepts the device id the IoT rule adds from the topic when it agrees', async () => {
    const body = JSON.stringify({ ...JSON.parse(message({ seq: 11, ts: '2023-01-10T11:59:50Z', powerW: 400 })), topicDeviceId: 'heater-001' });
    await handler(sqsEvent([body]), lambdaContext);
    expect((await state.get('heater-001'))?.seq).toBe(11);
  });

  it('quarantines telemetry of an unregistered device with the reason, never stores it, never fails the batch', async () => {
    const out = await handler(sqsEvent([message({ deviceId: 'heater-stranger' }), message({ deviceId: 'heater-002', seq: 1 })]), lambdaContext);
    expect(out.batchItemFailures).toEqual([]);
    expect(await state.get('heater-stranger')).toBeUndefined();
    expect(await historyOf('heater-stranger')).toEqual([]);
    expect((await quarantine.list('telemetry')).filter((q) => q.reason === 'device heater-stranger is not registered')).toHaveLength(1);
    expect((await state.get('heater-002'))?.seq).toBe(1);
  });

  it('asks the registry once per batch for the devices it has not seen lately, and not at all when warm', async () => {
    const batch = (minute: number) =>
      sqsEvent(fleet.slice(0, 100).map((h, i) => message({ deviceId: h.record.deviceId, seq: 100 + minute, ts: `2023-01-10T11:${String(40 + minute).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z` })));
    const [callsBefore] = [registryReads.calls];
    await handler(batch(0), lambdaContext);
    expect(registryReads.calls - callsBefore).toBe(1);
    await handler(batch(1), lambdaContext);
    expect(registryReads.calls - callsBefore).toBe(1);
    // Past the cache's lifetime the registry is asked again, once.
    now = new Date(NOW.getTime() + 11 * 60_000);
    await handler(batch(2), lambdaContext);
    now = NOW;
    expect(registryReads.calls - callsBefore).toBe(2);
  });

  it('reports only the records whose stores failed, so SQS redelivers just those, and a redelivery completes them', async () => {
    const failingState: DeviceStateStore = {
      advance: async (m, at) => {
        if (m.deviceId === 'heater-121') throw new Error('ProvisionedThroughputExceededException');
        return state.advance(m, at);
      },
      get: (id) => state.get(id),
      getMany: (ids) => state.getMany(ids),
    };
    const failingHistory: TelemetryHistory = {
      appendMany: async (messages, expiresAt) => {
        const out = await history.appendMany(
          messages.filter((m) => m.deviceId !== 'heater-122'),
          expiresAt,
        );
        return { failed: [...out.failed, ...messages.filter((m) => m.deviceId === 'heater-122')], error: 'throttled' };
      },
      range: (...args) => history.range(...args),
    };
    const bodies = ['heater-120', 'heater-121', 'heater-122'].map((deviceId) => message({ deviceId, seq: 1 }));
    const broken = makeHandler({ devices: db.stores.knownDevices(), state: failingState, history: failingHistory, quarantine, clock });
    const out = await broken(sqsEvent(bodies), lambdaContext);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
    expect((await state.get('heater-120'))?.seq).toBe(1);
    expect(await state.get('heater-121')).toBeUndefined();
    // SQS delivers the two again; this time the stores work.
    expect((await handler(sqsEvent(bodies.slice(1)), lambdaContext)).batchItemFailures).toEqual([]);
    expect((await state.get('heater-121'))?.seq).toBe(1);
    expect(await historyOf('heater-122')).toHaveLength(1);
  });

  it('fails the whole batch when the registry cannot be read, quarantining what is invalid anyway', async () => {
    const down = makeHandler({
      devices: { known: async () => Promise.reject(new Error('registry unavailable')) },
      state,
      history,
      quarantine,
      clock,
    });
    const out = await down(sqsEvent([message({ deviceId: 'heater-123' }), '{oops']), lambdaContext);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }]);
  });
});
