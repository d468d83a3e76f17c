import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoDeviceStatusStore } from '../../../functions/adapters/dynamodb/device-status-store.ts';
import type { DynamoGridEventStore } from '../../../functions/adapters/dynamodb/grid-event-store.ts';
import type { DynamoPlanStore } from '../../../functions/adapters/dynamodb/plan-store.ts';
import { IotShadowWriter } from '../../../functions/adapters/iot/shadow-writer.ts';
import { StoredMarketInputs } from '../../../functions/adapters/market/stored-market-inputs.ts';
import { HANDLED_EVENT_RETENTION_S } from '../../../functions/commons/once-per-event.ts';
import { receiveDispatch } from '../../../functions/domain/grid/receive-dispatch.ts';
import { makeHandler as makePlanDevices, type PlanDevicesOverrides } from '../../../functions/handlers/plan-devices.ts';
import { makeHandler as makePushShadow } from '../../../functions/handlers/push-shadow.ts';
import type { EventPublisher } from '../../../functions/ports/event-publisher.ts';
import type { StoredPlan } from '../../../functions/ports/stores.ts';
import { localClient } from '../../../local/aws/dynamodb-local.ts';
import { generateFleet } from '../../../local/fleet/generate-fleet.ts';
import { startShadowService, type LocalShadowService } from '../../../local/iot/shadow-service.ts';
import { lambdaContext as freshLambdaContext } from '../../../local/runtime/lambda-context.ts';
import type { EventDetail } from '../../../schemas/events.ts';
import { PLAN_METRICS } from '../../../wiring/metrics.ts';
import { startDynamoFixture, type DynamoFixture } from '../../support/local-dynamo.ts';
import { recordMetrics } from '../../support/recorded-metrics.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext } from '../../support/sqs-event.ts';
import { floorToStep, planShadow, storePlans } from './support/plans.ts';
import { busEvent, registerFleet, storeMarketDays } from './support/seed.ts';

/**
 * EventBridge delivers at least once: the same event (same `id`) can reach a target twice, one after the other
 * or at once. Delivered twice to push-shadow, a PlansStored must change each shadow once. Delivered twice to
 * plan-devices, an event plans once: plan-devices remembers the ids of the events it handled in the
 * idempotency table (dynalite here, through the real SDK), so the second delivery stores no plan version and
 * announces no PlansStored. A delivery that failed is not remembered, so its retry plans; one that arrives while
 * the first still runs is refused, so Lambda retries it; the hourly schedule's input has no id and plans every time.
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
  let dynamo: DynamoDBClient;

  /** A fresh container per invocation, as two deliveries may well land in two; they share the tables. */
  const planDevices = (overrides: PlanDevicesOverrides = {}) =>
    makePlanDevices({
      devices: db.stores.devices(),
      states: db.stores.deviceState(),
      plans,
      market: new StoredMarketInputs(db.stores.marketData()),
      events,
      clock,
      gridEvents,
      handledEvents: new DynamoDBPersistenceLayer({ tableName: db.tableNames.idempotency, awsSdkV3Client: dynamo }),
      ...overrides,
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
  const versions = async () => (await latest()).map((p) => p.plan.v);
  /** The records of the events plan-devices handled, as Powertools keeps them. */
  const handledEvents = async () => (await db.doc.send(new ScanCommand({ TableName: db.tableNames.idempotency, ConsistentRead: true }))).Items ?? [];
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
    plans = db.stores.plans();
    status = db.stores.deviceStatus();
    gridEvents = db.stores.gridEvents();
    dynamo = localClient(db.endpoint);
    service = await startShadowService({ now: clock.now });
    iot = new IoTDataPlaneClient({ endpoint: service.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    dynamo?.destroy();
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

  it('the same GridEventReceived twice to plan-devices: the second plans nothing, stores no version, announces nothing', async () => {
    now = NOW;
    // A utility's dispatch: hold the fleet at 1 kW this evening, received and stored once, announced once.
    const dispatchEvents = new RecordingPublisher();
    const received = await receiveDispatch(
      JSON.stringify({ dispatchId: 'evening-peak', start: '2023-01-10T16:00:00Z', end: '2023-01-10T18:00:00Z', kW: 1 }),
      { gridEvents, quarantine: db.stores.quarantine(), events: dispatchEvents, clock },
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

    // The duplicate delivery, forty seconds later, in another container: the first delivery's answer.
    now = LATER;
    const middle = events.of('PlansStored').length;
    expect(await planDevices()(delivery(), lambdaContext)).toEqual({ planned: 3 });
    expect(await latest()).toEqual(firstPlans);
    expect(cohortsSince(middle)).toEqual([]);
    expect(await shadowVersions()).toEqual(shadowsAfterFirst);
    expect((await desired()).map((d) => d?.v)).toEqual(firstPlans.map((p) => p.plan.v));
  });

  it('the same PricesPublished twice to plan-devices: likewise; the same prices under a new event id plan again', async () => {
    now = NOW;
    const detail = { zone: 'DK2', source: 'test', from: '2023-01-10T00:00:00Z', to: '2023-01-12T00:00:00Z', resolutionMinutes: 60 };
    const prices = busEvent('PricesPublished', detail, now, 'evt-prices-1');
    const before = events.of('PlansStored').length;
    const previous = await versions();
    expect(await planDevices()(prices, lambdaContext)).toEqual({ planned: 3 });
    expect(cohortsSince(before)).toHaveLength(1);
    const firstPlans = await latest();
    expect(firstPlans.map((p) => p.plan.v)).toEqual(previous.map((v) => v + 1));

    now = LATER;
    const middle = events.of('PlansStored').length;
    expect(await planDevices()(prices, lambdaContext)).toEqual({ planned: 3 });
    expect(await latest()).toEqual(firstPlans);
    expect(cohortsSince(middle)).toEqual([]);

    // A distinct event is not a duplicate, whatever its detail.
    expect(await planDevices()(busEvent('PricesPublished', detail, now, 'evt-prices-2'), lambdaContext)).toEqual({ planned: 3 });
    const replanned = await latest();
    expect(replanned.map((p) => p.plan.v)).toEqual(firstPlans.map((p) => p.plan.v + 1));
    replanned.forEach((p, i) => expectSamePlan(firstPlans[i]!, p));
    expect(cohortsSince(middle)).toHaveLength(1);
  });

  it('the same PlanCohortRequested twice to plan-devices: the cohort is planned and announced once', async () => {
    now = NOW;
    const cohort = busEvent('PlanCohortRequested', { reason: 'hourly', deviceIds: ids }, now, 'evt-cohort-1');
    const before = events.of('PlansStored').length;
    const previous = await versions();
    expect(await planDevices()(cohort, lambdaContext)).toEqual({ planned: 3 });
    const firstPlans = await latest();
    expect(firstPlans.map((p) => p.plan.v)).toEqual(previous.map((v) => v + 1));
    const announced = cohortsSince(before);
    const byId = (a: { deviceId: string }, b: { deviceId: string }) => a.deviceId.localeCompare(b.deviceId);
    expect(announced.flatMap((c) => c.devices).sort(byId)).toEqual(firstPlans.map((p) => ({ deviceId: p.deviceId, v: p.plan.v })).sort(byId));

    now = LATER;
    const emitted = recordMetrics();
    try {
      expect(await planDevices()(cohort, lambdaContext)).toEqual({ planned: 3 });
      // Counted for operators, and nothing else of a planning run.
      expect(emitted.map((m) => [m.name, m.value])).toEqual([[PLAN_METRICS.redelivered, 1]]);
    } finally {
      vi.restoreAllMocks();
    }
    expect(await latest()).toEqual(firstPlans);
    expect(cohortsSince(before)).toEqual(announced);
  });

  it('remembers each event handled above once, as completed, until 24 hours on (the TTL attribute)', async () => {
    const records = await handledEvents();
    // The ReplanRequested of the first test, evt-grid-1, evt-prices-1 and -2, evt-cohort-1: duplicates add none.
    expect(records.map((r) => r.status)).toEqual(records.map(() => 'COMPLETED'));
    expect(records).toHaveLength(5);
    const nowS = Date.now() / 1000;
    for (const record of records) {
      expect(record.id).toMatch(/^plan-devices#/);
      expect(record.expiration).toBeGreaterThan(nowS + HANDLED_EVENT_RETENTION_S - 600);
      expect(record.expiration).toBeLessThanOrEqual(nowS + HANDLED_EVENT_RETENTION_S + 1);
    }
  });

  it('the hourly schedule input has no event id: it plans every time, remembers nothing, warns of nothing', async () => {
    now = NOW;
    const warn = vi.spyOn(console, 'warn');
    try {
      const recorded = (await handledEvents()).length;
      const before = events.of('PlansStored').length;
      const previous = await versions();
      expect(await planDevices()({ reason: 'hourly' }, lambdaContext)).toEqual({ planned: 3 });
      expect(await planDevices()({ reason: 'hourly' }, lambdaContext)).toEqual({ planned: 3 });
      expect(await versions()).toEqual(previous.map((v) => v + 2));
      expect(cohortsSince(before)).toHaveLength(2);
      expect(await handledEvents()).toHaveLength(recorded);
      expect(warn.mock.calls.flat().filter((arg) => /idempotency/i.test(String(arg)))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('a delivery that failed is not remembered: its retry plans', async () => {
    now = NOW;
    const replan = busEvent('ReplanRequested', { reason: 'test', zone: 'DK2' }, now, 'evt-replan-failed');
    const recorded = (await handledEvents()).length;
    const before = events.of('PlansStored').length;
    const previous = await versions();
    const registry = db.stores.devices();
    const unavailable: typeof registry = Object.assign(Object.create(registry) as typeof registry, {
      listByZone: () => Promise.reject(new Error('ProvisionedThroughputExceededException: the registry is throttled')),
    });
    await expect(planDevices({ devices: unavailable })(replan, lambdaContext)).rejects.toThrow(/registry is throttled/);
    expect(await handledEvents()).toHaveLength(recorded);
    expect(await versions()).toEqual(previous);

    // Lambda's retry of the same event, in another container.
    expect(await planDevices()(replan, lambdaContext)).toEqual({ planned: 3 });
    expect(await versions()).toEqual(previous.map((v) => v + 1));
    expect(cohortsSince(before)).toHaveLength(1);
    expect(await handledEvents()).toHaveLength(recorded + 1);
  });

  it('a delivery while the first still runs is refused, also when retried, and never plans a second time', async () => {
    now = NOW;
    const replan = busEvent('ReplanRequested', { reason: 'test', deviceIds: ids }, now, 'evt-replan-slow');
    const before = events.of('PlansStored').length;
    const previous = await versions();
    // The first delivery holds before announcing its plans, until released.
    let reached!: () => void;
    let release!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: EventPublisher = {
      async publish(detailType, details) {
        reached();
        await gate;
        return events.publish(detailType, details);
      },
    };
    // Fresh contexts: Powertools marks a record in progress for the invocation's remaining time.
    const first = planDevices({ events: held })(replan, freshLambdaContext('PlanDevices'));
    await atGate;

    const inProgress = { name: 'IdempotencyAlreadyInProgressError' };
    await expect(planDevices()(replan, freshLambdaContext('PlanDevices'))).rejects.toMatchObject(inProgress);
    // Lambda retries the refused delivery; the refusal left the first delivery's record in place.
    await expect(planDevices()(replan, freshLambdaContext('PlanDevices'))).rejects.toMatchObject(inProgress);

    release();
    expect(await first).toEqual({ planned: 3 });
    expect(await planDevices()(replan, freshLambdaContext('PlanDevices'))).toEqual({ planned: 3 });
    expect(await versions()).toEqual(previous.map((v) => v + 1));
    expect(cohortsSince(before)).toHaveLength(1);
  });
});
