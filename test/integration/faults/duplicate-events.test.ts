import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeviceRegistry } from '../../../functions/adapters/dynamodb/device-registry.ts';
import { DynamoDeviceStateStore } from '../../../functions/adapters/dynamodb/device-state-store.ts';
import { DynamoDeviceStatusStore } from '../../../functions/adapters/dynamodb/device-status-store.ts';
import { DynamoGridEventStore } from '../../../functions/adapters/dynamodb/grid-event-store.ts';
import { DynamoMarketDataStore } from '../../../functions/adapters/dynamodb/market-data-store.ts';
import { DynamoPlanStore } from '../../../functions/adapters/dynamodb/plan-store.ts';
import { DynamoQuarantineStore } from '../../../functions/adapters/dynamodb/quarantine-store.ts';
import { IotShadowWriter } from '../../../functions/adapters/iot/shadow-writer.ts';
import { StoredMarketInputs } from '../../../functions/adapters/market/stored-market-inputs.ts';
import { receiveDispatch } from '../../../functions/domain/grid/receive-dispatch.ts';
import { makeHandler as makePlanDevices } from '../../../functions/handlers/plan-devices.ts';
import { makeHandler as makePushShadow } from '../../../functions/handlers/push-shadow.ts';
import type { StoredPlan } from '../../../functions/ports/stores.ts';
import { generateFleet } from '../../../local/fleet/generate-fleet.ts';
import { startShadowService, type LocalShadowService } from '../../../local/iot/shadow-service.ts';
import type { EventDetail } from '../../../schemas/events.ts';
import { startDynamoFixture, type DynamoFixture } from '../../support/local-dynamo.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext } from '../../support/sqs-event.ts';
import { floorToStep, planShadow, storePlans } from './support/plans.ts';
import { busEvent, registerFleet, storeMarketDays } from './support/seed.ts';

/**
 * EventBridge delivers at least once: the same event (same `id`) can reach a target twice, one after the other
 * or at once. Delivered twice to push-shadow, a PlansStored must change each shadow once. Delivered twice to
 * plan-devices, a PricesPublished or GridEventReceived runs the planner twice; what holds today is asserted
 * here: each run stores a NEW plan version (plan-devices keeps no record of the events it handled), the
 * second identical to the first, and the push's delta suppression keeps that second version out of every
 * shadow. So no device does anything twice; the cost is a redundant plan version per device (see the report).
 */
const NOW = new Date('2023-01-10T12:07:00Z');
/** The duplicate arrives a little later, within the same 15-minute step. */
const LATER = new Date(NOW.getTime() + 40_000);
let now = NOW;
const clock = { now: () => now };

describe('duplicate EventBridge deliveries', () => {
  let db: DynamoFixture;
  let service: LocalShadowService;
  let iot: IoTDataPlaneClient;
  const fleet = generateFleet(3, 5);
  const ids = fleet.map((h) => h.record.deviceId);
  let plans: DynamoPlanStore;
  let status: DynamoDeviceStatusStore;
  let gridEvents: DynamoGridEventStore;
  const events = new RecordingPublisher();

  const planDevices = () =>
    makePlanDevices({
      devices: new DynamoDeviceRegistry(db.doc, db.tableNames.devices),
      states: new DynamoDeviceStateStore(db.doc, db.tableNames.deviceState),
      plans,
      market: new StoredMarketInputs(new DynamoMarketDataStore(db.doc, db.tableNames.marketData)),
      events,
      clock,
      gridEvents,
    });
  /** A fresh container per invocation, as two deliveries may well land in two. */
  const pushShadow = () => makePushShadow({ plans, status, clock, shadows: new IotShadowWriter(iot, { baseDelayMs: 1, maxDelayMs: 5, perThingPerSecond: 1000 }) });
  const shadowVersions = () => Promise.all(ids.map(async (id) => (await planShadow(iot, id)).version));
  const desired = () => Promise.all(ids.map(async (id) => (await planShadow(iot, id)).desired));
  const recordedV = async () => {
    const s = await status.getMany(ids);
    return ids.map((id) => s.get(id)?.desiredPlanV);
  };
  const latest = () => Promise.all(ids.map(async (id) => (await plans.latest(id))!));
  const cohortsSince = (count: number) => events.of('PlansStored').slice(count);
  const push = async (cohorts: EventDetail<'PlansStored'>[], id: string) => {
    const results = [];
    for (const cohort of cohorts) results.push(await pushShadow()(busEvent('PlansStored', cohort, now, id), lambdaContext));
    return results;
  };
  /** Two plans the same for the device: same start, steps, powers, validity and fallback; only `v` differs. */
  const expectSamePlan = (a: StoredPlan, b: StoredPlan) => expect({ ...b.plan, v: 0 }).toEqual({ ...a.plan, v: 0 });

  beforeAll(async () => {
    db = await startDynamoFixture();
    await registerFleet(db.doc, db, fleet);
    await storeMarketDays(db.doc, db, { zone: 'DK2', cell: fleet[0]!.record.weatherCell, days: ['2023-01-10', '2023-01-11', '2023-01-12'], updatedAt: NOW.toISOString() });
    plans = new DynamoPlanStore(db.doc, db.tableNames.plans);
    status = new DynamoDeviceStatusStore(db.doc, db.tableNames.deviceStatus);
    gridEvents = new DynamoGridEventStore(db.doc, db.tableNames.gridEvents);
    service = await startShadowService({ now: clock.now });
    iot = new IoTDataPlaneClient({ endpoint: service.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    iot?.destroy();
    await service?.close();
    await db?.close();
  });

  it('the same PlansStored twice, one after the other: each shadow changes once, its version is recorded once', async () => {
    now = NOW;
    const before = events.of('PlansStored').length;
    expect(await planDevices()(busEvent('ReplanRequested', { reason: 'hourly' }, now, 'evt-hourly'), lambdaContext)).toEqual({ planned: 3 });
    const cohorts = cohortsSince(before);
    expect(cohorts.flatMap((c) => c.devices.map((d) => d.v))).toEqual([1, 1, 1]);

    const [first] = await push(cohorts, 'evt-plans-1');
    expect(first).toMatchObject({ pushed: 3, failed: [] });
    expect(await shadowVersions()).toEqual([1, 1, 1]);
    now = LATER;
    const [second] = await push(cohorts, 'evt-plans-1');
    expect(second).toMatchObject({ pushed: 0, conflictRetried: 0, suppressed: 3, failed: [] });
    expect(await shadowVersions()).toEqual([1, 1, 1]);
    expect(await recordedV()).toEqual([1, 1, 1]);
  });

  it('the same PlansStored twice at once (two containers): each shadow changes once', async () => {
    now = NOW;
    // A new version of every device's plan that changes what it does soon: the push wants to write it.
    const next = (await latest()).map((p) => p.plan.v + 1);
    const cohort = { reason: 'hourly', devices: (await Promise.all(ids.map((id, i) => storePlans(plans, [id], next[i]!, floorToStep(NOW))))).flat() };
    const versionsBefore = await shadowVersions();
    const event = busEvent('PlansStored', cohort, now, 'evt-plans-2');
    const [a, b] = await Promise.all([pushShadow()(event, lambdaContext), pushShadow()(event, lambdaContext)]);
    expect([...a.failed, ...b.failed]).toEqual([]);
    // Every device written by exactly one of the two invocations; the other found it there (directly or after a 409).
    const written = a.pushed + a.conflictRetried + b.pushed + b.conflictRetried;
    expect(written).toBe(ids.length);
    const after = await shadowVersions();
    expect(after.map((v, i) => v - versionsBefore[i]!).reduce((s, d) => s + d, 0)).toBe(written);
    expect(after.every((v, i) => v - versionsBefore[i]! <= 1)).toBe(true);
    expect(a.suppressed + b.suppressed).toBe(2 * ids.length - written);
  });

  it('the same GridEventReceived twice to plan-devices: a second, identical plan version per device, which no shadow gets', async () => {
    now = NOW;
    // A utility's dispatch: hold the fleet at 1 kW this evening, received and stored once, announced once.
    const dispatchEvents = new RecordingPublisher();
    const received = await receiveDispatch(
      JSON.stringify({ dispatchId: 'evening-peak', start: '2023-01-10T16:00:00Z', end: '2023-01-10T18:00:00Z', kW: 1 }),
      { gridEvents, quarantine: new DynamoQuarantineStore(db.doc, db.tableNames.quarantine), events: dispatchEvents, clock },
    );
    expect(received).toMatchObject({ status: 'stored' });
    const [gridEvent] = dispatchEvents.of('GridEventReceived');
    const delivery = () => busEvent('GridEventReceived', gridEvent, now, 'evt-grid-1');

    const before = events.of('PlansStored').length;
    const previous = await latest();
    expect(await planDevices()(delivery(), lambdaContext)).toEqual({ planned: 3 });
    const firstCohorts = cohortsSince(before);
    const firstPlans = await latest();
    expect(firstPlans.map((p) => p.plan.v)).toEqual(previous.map((p) => p.plan.v + 1));
    await push(firstCohorts, 'evt-plans-grid-1');
    const shadowsAfterFirst = await shadowVersions();
    expect((await desired()).map((d) => d?.v)).toEqual(firstPlans.map((p) => p.plan.v));

    // The duplicate delivery, forty seconds later.
    now = LATER;
    const middle = events.of('PlansStored').length;
    expect(await planDevices()(delivery(), lambdaContext)).toEqual({ planned: 3 });
    const secondPlans = await latest();
    // What holds today: a new version per device...
    expect(secondPlans.map((p) => p.plan.v)).toEqual(firstPlans.map((p) => p.plan.v + 1));
    // ...with exactly the plan the first delivery stored...
    secondPlans.forEach((p, i) => expectSamePlan(firstPlans[i]!, p));
    // ...so the push of the duplicate's cohort writes no shadow: every device keeps doing what it did.
    const [dup] = await push(cohortsSince(middle), 'evt-plans-grid-2');
    expect(dup).toMatchObject({ pushed: 0, conflictRetried: 0, suppressed: 3, failed: [] });
    expect(await shadowVersions()).toEqual(shadowsAfterFirst);
    expect((await desired()).map((d) => d?.v)).toEqual(firstPlans.map((p) => p.plan.v));
  });

  it('the same PricesPublished twice to plan-devices: likewise, one shadow change at most', async () => {
    now = NOW;
    const prices = busEvent('PricesPublished', { zone: 'DK2', source: 'test', from: '2023-01-10T00:00:00Z', to: '2023-01-12T00:00:00Z', resolutionMinutes: 60 }, now, 'evt-prices-1');
    const before = events.of('PlansStored').length;
    await planDevices()(prices, lambdaContext);
    await push(cohortsSince(before), 'evt-plans-prices-1');
    const shadowsAfterFirst = await shadowVersions();
    const firstPlans = await latest();

    now = LATER;
    const middle = events.of('PlansStored').length;
    await planDevices()(prices, lambdaContext);
    const secondPlans = await latest();
    secondPlans.forEach((p, i) => expectSamePlan(firstPlans[i]!, p));
    const [dup] = await push(cohortsSince(middle), 'evt-plans-prices-2');
    expect(dup).toMatchObject({ pushed: 0, suppressed: 3, failed: [] });
    expect(await shadowVersions()).toEqual(shadowsAfterFirst);
  });
});
