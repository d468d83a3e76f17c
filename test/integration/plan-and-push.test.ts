import { DeleteThingShadowCommand, GetThingShadowCommand, IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeviceRegistry } from '../../functions/adapters/dynamodb/device-registry.ts';
import { DynamoDeviceStateStore } from '../../functions/adapters/dynamodb/device-state-store.ts';
import { DynamoDeviceStatusStore } from '../../functions/adapters/dynamodb/device-status-store.ts';
import { DynamoMarketDataStore } from '../../functions/adapters/dynamodb/market-data-store.ts';
import { DynamoPlanStore } from '../../functions/adapters/dynamodb/plan-store.ts';
import { IotShadowWriter } from '../../functions/adapters/iot/shadow-writer.ts';
import { StoredMarketInputs } from '../../functions/adapters/market/stored-market-inputs.ts';
import { priceSeries, weatherSeries } from '../../functions/domain/market/series-keys.ts';
import { makeHandler as makePlanDevices } from '../../functions/handlers/plan-devices.ts';
import { makeHandler as makePushShadow } from '../../functions/handlers/push-shadow.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startMqttBroker } from '../../local/iot/mqtt-broker.ts';
import { startShadowService } from '../../local/iot/shadow-service.ts';
import { PlanDocument } from '../../schemas/shadow.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { RecordingPublisher } from '../support/recording-publisher.ts';
import { lambdaContext } from '../support/sqs-event.ts';

const NOW = new Date('2023-01-10T12:07:00Z');
const clock = { now: () => NOW };
const DAYS = ['2023-01-10', '2023-01-11', '2023-01-12'];

const eventOf = <T extends string>(detailType: T, detail: unknown) => ({
  version: '0',
  id: 'e1',
  'detail-type': detailType,
  source: 'hearth',
  account: '1',
  time: NOW.toISOString(),
  region: 'eu-west-1',
  resources: [],
  detail,
});

describe('plan-devices → PlansStored → push-shadow, against dynalite and the local shadow service', () => {
  let db: DynamoFixture;
  let broker: Awaited<ReturnType<typeof startMqttBroker>>;
  let shadows: Awaited<ReturnType<typeof startShadowService>>;
  let iot: IoTDataPlaneClient;
  const fleet = generateFleet(3, 5);
  const events = new RecordingPublisher();
  let planDevices: ReturnType<typeof makePlanDevices>;
  let pushShadow: ReturnType<typeof makePushShadow>;

  beforeAll(async () => {
    db = await startDynamoFixture();
    broker = await startMqttBroker({});
    shadows = await startShadowService({ broker: broker.aedes, now: clock.now });
    // No SDK retries: the shadow writer retries itself (as the push-shadow handler's client is configured).
    iot = new IoTDataPlaneClient({ endpoint: shadows.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
    const devices = new DynamoDeviceRegistry(db.doc, db.tableNames.devices);
    for (const h of fleet) await devices.put(h.record);
    const market = new DynamoMarketDataStore(db.doc, db.tableNames.marketData);
    for (const day of DAYS) {
      const hours = Array.from({ length: 24 }, (_, h) => `${day}T${String(h).padStart(2, '0')}:00:00Z`);
      await market.putDay({
        series: priceSeries('DK2'),
        day,
        hash: `p-${day}`,
        updatedAt: NOW.toISOString(),
        payload: { source: 'test', zone: 'DK2', currency: 'EUR', unit: 'MWh', resolutionMinutes: 60, points: hours.map((start, h) => ({ start, price: 80 + 4 * h })) },
      });
      await market.putDay({
        series: weatherSeries('malmo'),
        day,
        hash: `w-${day}`,
        updatedAt: NOW.toISOString(),
        payload: { source: 'test', cell: fleet[0]!.record.weatherCell, issuedAt: NOW.toISOString(), resolutionMinutes: 60, points: hours.map((time) => ({ time, temperatureC: -2 })) },
      });
    }
    const plans = new DynamoPlanStore(db.doc, db.tableNames.plans);
    planDevices = makePlanDevices({
      devices,
      states: new DynamoDeviceStateStore(db.doc, db.tableNames.deviceState),
      plans,
      market: new StoredMarketInputs(market),
      events,
      clock,
    });
    pushShadow = makePushShadow({
      plans,
      shadows: new IotShadowWriter(iot, { baseDelayMs: 1, maxDelayMs: 5 }),
      status: new DynamoDeviceStatusStore(db.doc, db.tableNames.deviceStatus),
      clock,
    });
  });
  afterAll(async () => {
    iot?.destroy();
    await shadows?.close();
    await broker?.close();
    await db?.close();
  });

  it('plans every device of the zone, announces one cohort, and the push lands the plan in each plan shadow', async () => {
    const out = await planDevices(eventOf('PricesPublished', { zone: 'DK2', source: 'test', from: '2023-01-10T00:00:00Z', to: '2023-01-12T00:00:00Z', resolutionMinutes: 60 }), lambdaContext);
    expect(out).toEqual({ planned: 3 });
    const [cohort, ...more] = events.of('PlansStored');
    expect(more).toEqual([]);
    expect(cohort!.devices.map((d) => d.v)).toEqual([1, 1, 1]);

    expect(await pushShadow(eventOf('PlansStored', cohort), lambdaContext)).toMatchObject({ pushed: 3, suppressed: 0, failed: [] });
    for (const h of fleet) {
      const shadow = await iot.send(new GetThingShadowCommand({ thingName: h.record.deviceId, shadowName: 'plan' }));
      const desired = PlanDocument.parse(JSON.parse(new TextDecoder().decode(shadow.payload)).state.desired);
      expect(desired.v).toBe(1);
      expect(desired.start).toBe('2023-01-10T12:00:00.000Z'); // the 15-minute step holding "now"
      expect(desired.powerW).toHaveLength(192);
      expect(desired.fallback).toEqual(h.record.fallback);
      expect(new Set(desired.powerW.map((p) => h.record.levels.some((l) => l.powerW === p)))).toEqual(new Set([true]));
    }
  });

  it('moves versions forward on every replan; a plan that changes nothing the devices do is not written', async () => {
    events.clear();
    await planDevices({ reason: 'hourly' }, lambdaContext);
    const cohort = events.of('PlansStored')[0]!;
    expect(cohort.devices.map((d) => d.v)).toEqual([2, 2, 2]);
    expect(await pushShadow(eventOf('PlansStored', cohort), lambdaContext)).toMatchObject({ pushed: 0, suppressed: 3 });
  });

  it('refuses malformed invocations with the reason', async () => {
    await expect(planDevices({ reason: '' }, lambdaContext)).rejects.toThrow(/plan-devices input is invalid/);
    await expect(planDevices(eventOf('PricesPublished', { zone: 'DK2' }), lambdaContext)).rejects.toThrow(/PricesPublished detail is invalid: source/);
    await expect(planDevices(eventOf('Surprise', {}), lambdaContext)).rejects.toThrow(/does not handle Surprise/);
    await expect(pushShadow(eventOf('PlansStored', { reason: 'x', devices: [] }), lambdaContext)).rejects.toThrow(/PlansStored detail is invalid: devices/);
  });

  it('fails the push (for EventBridge to retry) when the shadow service keeps failing, and a retry lands the plan', async () => {
    events.clear();
    await planDevices(eventOf('ReplanRequested', { reason: 'test', deviceIds: [fleet[0]!.record.deviceId] }), lambdaContext);
    const cohort = events.of('PlansStored')[0]!;
    // A device that holds no plan (its shadow was deleted), so the push must write.
    await iot.send(new DeleteThingShadowCommand({ thingName: fleet[0]!.record.deviceId, shadowName: 'plan' }));
    shadows.faults.inject({ status: 503, times: 10 });
    await expect(pushShadow(eventOf('PlansStored', cohort), lambdaContext)).rejects.toThrow(/shadow push failed for 1 device/);
    shadows.faults.clear();
    await pushShadow(eventOf('PlansStored', cohort), lambdaContext);
    const shadow = await iot.send(new GetThingShadowCommand({ thingName: fleet[0]!.record.deviceId, shadowName: 'plan' }));
    expect(JSON.parse(new TextDecoder().decode(shadow.payload)).state.desired.v).toBe(3);
  });
});
