import { DeleteThingShadowCommand, GetThingShadowCommand, IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoGridEventStore } from '../../functions/adapters/dynamodb/grid-event-store.ts';
import type { DynamoPlanStore } from '../../functions/adapters/dynamodb/plan-store.ts';
import { IotShadowWriter } from '../../functions/adapters/iot/shadow-writer.ts';
import { StoredMarketInputs } from '../../functions/adapters/market/stored-market-inputs.ts';
import { priceSeries, weatherSeries } from '../../functions/domain/market/series-keys.ts';
import { makeHandler as makePlanDevices } from '../../functions/handlers/plan-devices.ts';
import { makeHandler as makePushShadow } from '../../functions/handlers/push-shadow.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startMqttBroker } from '../../local/iot/mqtt-broker.ts';
import { startShadowService } from '../../local/iot/shadow-service.ts';
import { PlanDocument } from '../../schemas/shadow.ts';
import { PLAN_METRICS } from '../../wiring/metrics.ts';
import { recordMetrics } from '../support/recorded-metrics.ts';
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
  let gridEvents: DynamoGridEventStore;
  let plansStore: DynamoPlanStore;

  beforeAll(async () => {
    db = await startDynamoFixture();
    broker = await startMqttBroker({});
    shadows = await startShadowService({ broker: broker.aedes, now: clock.now });
    // No SDK retries: the shadow writer retries itself (as the push-shadow handler's client is configured).
    iot = new IoTDataPlaneClient({ endpoint: shadows.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
    const devices = db.stores.devices();
    for (const h of fleet) await devices.put(h.record);
    const market = db.stores.marketData();
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
    const plans = db.stores.plans();
    plansStore = plans;
    gridEvents = db.stores.gridEvents();
    planDevices = makePlanDevices({
      gridEvents,
      devices,
      states: db.stores.deviceState(),
      plans,
      market: new StoredMarketInputs(market),
      events,
      clock,
    });
    pushShadow = makePushShadow({
      plans,
      shadows: new IotShadowWriter(iot, { baseDelayMs: 1, maxDelayMs: 5 }),
      status: db.stores.deviceStatus(),
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

  it('reports what the hourly replan planned for the fleet, and nothing of that for other replans', async () => {
    const emitted = recordMetrics();
    try {
      await planDevices({ reason: 'hourly' }, lambdaContext);
      const value = (name: string) => emitted.filter((m) => m.name === name).map((m) => m.value);
      const [energy] = value(PLAN_METRICS.energyCostEur);
      const [revenue] = value(PLAN_METRICS.computeRevenueEur);
      expect(energy).toBeGreaterThan(0);
      expect(value(PLAN_METRICS.netCostEur)[0]).toBeCloseTo(energy! - revenue!, 9);
      expect(value(PLAN_METRICS.discomfortKh)).toHaveLength(1);
      expect(value(PLAN_METRICS.fleetPlannedKW)).toHaveLength(1);
      emitted.length = 0;
      await planDevices(eventOf('ReplanRequested', { reason: 'test', deviceIds: [fleet[0]!.record.deviceId] }), lambdaContext);
      expect(emitted.map((m) => m.name)).toContain(PLAN_METRICS.planned);
      expect(emitted.map((m) => m.name)).not.toContain(PLAN_METRICS.energyCostEur);
    } finally {
      vi.restoreAllMocks();
    }
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
    // A device that holds no plan (its shadow and our record of it deleted, as when it is registered anew), so
    // the push must write.
    await iot.send(new DeleteThingShadowCommand({ thingName: fleet[0]!.record.deviceId, shadowName: 'plan' }));
    await db.stores.deviceStatus().delete(fleet[0]!.record.deviceId);
    shadows.faults.inject({ status: 503, times: 10 });
    await expect(pushShadow(eventOf('PlansStored', cohort), lambdaContext)).rejects.toThrow(/shadow push failed for 1 device/);
    shadows.faults.clear();
    await pushShadow(eventOf('PlansStored', cohort), lambdaContext);
    const shadow = await iot.send(new GetThingShadowCommand({ thingName: fleet[0]!.record.deviceId, shadowName: 'plan' }));
    expect(JSON.parse(new TextDecoder().decode(shadow.payload)).state.desired.v).toBe((cohort as { devices: { v: number }[] }).devices[0]!.v);
  });

  it('answers a grid event: its devices planned together under the cap, the plans tagged with the event; a cancellation gives them their own plans back', async () => {
    events.clear();
    const before = await Promise.all(fleet.map((h) => plansStore.latest(h.record.deviceId)));
    // 06:00–08:00 local tomorrow, when the fleet heats after its night setback: a cap at a third of one heater.
    const start = '2023-01-11T05:00:00.000Z';
    const event = {
      id: 'evt-cap',
      programID: fleet[0]!.record.drProgramId!,
      modificationDateTime: NOW.toISOString(),
      intervalPeriod: { start, duration: 'PT2H' },
      intervals: [{ id: 0, payloads: [{ type: 'IMPORT_CAPACITY_LIMIT', values: [0.4] }] }],
    };
    await gridEvents.upsert({ gridEventId: 'evt-cap', programId: event.programID, modifiedAt: NOW.toISOString(), cancelled: false, receivedAt: NOW.toISOString(), event });
    const detail = { gridEventId: 'evt-cap', programId: event.programID, modifiedAt: NOW.toISOString(), cancelled: false };
    expect(await planDevices(eventOf('GridEventReceived', detail), lambdaContext)).toEqual({ planned: 3 });
    const after = await Promise.all(fleet.map((h) => plansStore.latest(h.record.deviceId)));
    const from = (Date.parse(start) - Date.parse(after[0]!.plan.start)) / 900_000;
    const load = (plans: typeof after, t: number) => plans.reduce((s, p) => s + p!.plan.powerW[t]!, 0);
    for (let t = from; t < from + 8; t++) expect(load(after, t)).toBeLessThanOrEqual(400 * 1.01);
    expect(after.every((p, i) => p!.gridEventId === 'evt-cap' && p!.plan.v === before[i]!.plan.v + 1)).toBe(true);
    const cohort = events.of('PlansStored')[0]!;
    expect(await pushShadow(eventOf('PlansStored', cohort), lambdaContext)).toMatchObject({ failed: [] });

    // The hourly replan keeps answering the event.
    events.clear();
    await planDevices({ reason: 'hourly' }, lambdaContext);
    const hourly = await Promise.all(fleet.map((h) => plansStore.latest(h.record.deviceId)));
    expect(hourly.every((p) => p!.gridEventId === 'evt-cap')).toBe(true);

    await gridEvents.upsert({ gridEventId: 'evt-cap', programId: event.programID, modifiedAt: new Date(NOW.getTime() + 1000).toISOString(), cancelled: true, receivedAt: NOW.toISOString(), event });
    await planDevices(eventOf('GridEventReceived', { ...detail, cancelled: true }), lambdaContext);
    const released = await Promise.all(fleet.map((h) => plansStore.latest(h.record.deviceId)));
    expect(released.every((p) => p!.gridEventId === undefined)).toBe(true);
    expect(Math.max(...Array.from({ length: 8 }, (_, k) => load(released, from + k)))).toBeGreaterThan(400);
  });
});
