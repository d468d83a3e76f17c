import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDeviceRegistry } from '../../../functions/adapters/dynamodb/device-registry.ts';
import { DynamoDeviceStateStore } from '../../../functions/adapters/dynamodb/device-state-store.ts';
import { DynamoGridEventStore } from '../../../functions/adapters/dynamodb/grid-event-store.ts';
import { DynamoKnownDevices } from '../../../functions/adapters/dynamodb/known-devices.ts';
import { DynamoMarketDataStore } from '../../../functions/adapters/dynamodb/market-data-store.ts';
import { DynamoPlanStore } from '../../../functions/adapters/dynamodb/plan-store.ts';
import { DynamoQuarantineStore } from '../../../functions/adapters/dynamodb/quarantine-store.ts';
import { DynamoTelemetryHistory } from '../../../functions/adapters/dynamodb/telemetry-history.ts';
import { IotShadowWriter } from '../../../functions/adapters/iot/shadow-writer.ts';
import { StoredMarketInputs } from '../../../functions/adapters/market/stored-market-inputs.ts';
import { makeHandler as makeIngest } from '../../../functions/handlers/ingest-telemetry.ts';
import { makeHandler as makePlanDevices } from '../../../functions/handlers/plan-devices.ts';
import { makeHandler as makePushShadow } from '../../../functions/handlers/push-shadow.ts';
import { localClient } from '../../../local/aws/dynamodb-local.ts';
import { generateFleet } from '../../../local/fleet/generate-fleet.ts';
import { startShadowService, type LocalShadowService } from '../../../local/iot/shadow-service.ts';
import { PlanDocument } from '../../../schemas/shadow.ts';
import { startDynamoFixture, type DynamoFixture } from '../../support/local-dynamo.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext, sqsEvent } from '../../support/sqs-event.ts';
import { dynamoError, firstN, startFaultProxy, tableOf, THROTTLED, THROUGHPUT_EXCEEDED, type FaultProxy, type ProxiedRequest, type Rule } from './support/fault-proxy.ts';
import { busEvent, registerFleet, storeMarketDays } from './support/seed.ts';
import { CountingStateStore, expectedKeys, historyKeys, newestOf, telemetry } from './support/telemetry.ts';

/**
 * DynamoDB throttling (ProvisionedThroughputExceededException, ThrottlingException, and batch writes that come
 * back with UnprocessedItems) between the real SDK clients and dynalite, which cannot throttle by itself: a
 * proxy answers the chosen requests with DynamoDB's own error bodies, so the SDK's retry strategy (3 attempts,
 * the Lambda default), the adapters' batch rounds and the handlers all run as on AWS.
 */
const NOW = new Date('2023-01-10T12:07:00Z');
const clock = { now: () => NOW };
const HISTORY_FROM = new Date('2023-01-10T00:00:00Z');

const anyOf =
  (...rules: Rule[]): Rule =>
  async (request) => {
    for (const rule of rules) {
      const verdict = await rule(request);
      if (verdict) return verdict;
    }
    return undefined;
  };
const isOp = (operation: string, table: string) => (r: ProxiedRequest) => r.operation === operation && tableOf(r) === table;
const always = (matches: (r: ProxiedRequest) => boolean, answer: typeof THROTTLED): Rule => (r) => (matches(r) ? { answer } : undefined);

describe('DynamoDB throttling, through the real SDK against dynalite', () => {
  let db: DynamoFixture;
  let proxy: FaultProxy;
  /** A client through the proxy, as a Lambda container has one (SDK defaults: 3 attempts, standard retries). */
  let doc: DynamoDBDocumentClient;
  const fleet = generateFleet(12, 11);
  const ids = fleet.map((h) => h.record.deviceId);

  beforeAll(async () => {
    db = await startDynamoFixture();
    proxy = await startFaultProxy(db.endpoint);
    await registerFleet(db.doc, db, fleet);
  });
  afterAll(async () => {
    await proxy?.close();
    await db?.close();
  });
  beforeEach(() => {
    proxy.setRule(undefined);
    // A fresh client per test: the SDK's retry quota is per client, as it is per Lambda container.
    doc?.destroy();
    doc = DynamoDBDocumentClient.from(localClient(proxy.endpoint), { marshallOptions: { removeUndefinedValues: true } });
  });

  describe('ingest-telemetry', () => {
    let minute = 0;
    /** Two messages per device (the second changes power, so it moves the state), a malformed one, a stranger's. */
    const batch = () => {
      const base = minute;
      minute += 2;
      const at = (m: number) => `2023-01-10T10:${String(m).padStart(2, '0')}:00Z`;
      return [
        ...ids.flatMap((id) => [telemetry(id, 2 * base, at(base), { powerW: 0 }), telemetry(id, 2 * base + 1, at(base + 1), { powerW: 1500 })]),
        `{"schema":"hearth.telemetry/1","seq":${base},`,
        telemetry('heater-stranger', 1, at(base)),
      ];
    };
    /** One handler whose state writes are counted across all deliveries of a test. */
    const counted = () => {
      const counting = new CountingStateStore(new DynamoDeviceStateStore(doc, db.tableNames.deviceState));
      const handler = makeIngest({
        devices: new DynamoKnownDevices(doc, db.tableNames.devices),
        state: counting,
        history: new DynamoTelemetryHistory(doc, db.tableNames.telemetryHistory),
        quarantine: new DynamoQuarantineStore(doc, db.tableNames.quarantine),
        clock,
      });
      return { handler, counting };
    };
    const history = () => db.stores.telemetryHistory();
    const stateOf = (id: string) => db.stores.deviceState().get(id);
    const quarantined = async (raw: string) => (await db.stores.quarantine().list('telemetry')).filter((q) => q.raw === raw);
    /** SQS redelivers exactly the records the partial batch response names. */
    const redeliver = (bodies: string[], failures: { itemIdentifier: string }[]) => {
      const failed = new Set(failures.map((f) => f.itemIdentifier));
      const again = sqsEvent(bodies);
      again.Records = again.Records.filter((r) => failed.has(r.messageId));
      return again;
    };
    const expectAllStoredOnce = async (bodies: string[], counting: CountingStateStore) => {
      const valid = bodies.filter((b) => b.includes('"heater-') && !b.includes('stranger'));
      expect(await historyKeys(history(), ids, HISTORY_FROM, NOW)).toEqual(await mergedExpectation(valid));
      for (const [id, newest] of newestOf(valid)) expect(await stateOf(id), id).toMatchObject({ seq: newest.seq, ts: newest.ts, powerW: newest.powerW });
      expect(counting.appliedTwice()).toEqual([]);
    };
    // History accumulates over the tests of this block: what it must hold is every valid body sent so far.
    const sent: string[] = [];
    const mergedExpectation = async (valid: string[]) => {
      sent.push(...valid);
      return expectedKeys(sent, ids);
    };

    it('a short burst of throttling is absorbed by the SDK retries: no record fails, each is stored once', async () => {
      const throttleHistory = firstN(2, isOp('BatchWriteItem', db.tableNames.telemetryHistory), THROUGHPUT_EXCEEDED);
      const throttleState = firstN(2, isOp('PutItem', db.tableNames.deviceState), THROTTLED);
      proxy.setRule(anyOf(throttleHistory, throttleState));
      const { handler, counting } = counted();
      const bodies = batch();
      const out = await handler(sqsEvent(bodies), lambdaContext);
      expect(out.batchItemFailures).toEqual([]);
      expect([throttleHistory.used, throttleState.used]).toEqual([2, 2]);
      await expectAllStoredOnce(bodies, counting);
      expect(await quarantined(bodies.at(-1)!)).toHaveLength(1);
    });

    it('history writes throttled throughout: the valid records fail for SQS to redeliver, the refused ones do not; redelivery stores each once', async () => {
      proxy.setRule(always(isOp('BatchWriteItem', db.tableNames.telemetryHistory), THROUGHPUT_EXCEEDED));
      const { handler, counting } = counted();
      const bodies = batch();
      const out = await handler(sqsEvent(bodies), lambdaContext);
      // Every valid record of a registered device failed; the malformed one and the stranger's were quarantined.
      expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(ids.flatMap((_, i) => [`m-${2 * i}`, `m-${2 * i + 1}`]));
      expect(await quarantined(bodies.at(-1)!)).toHaveLength(1);
      expect(await quarantined(bodies.at(-2)!)).toHaveLength(1);

      proxy.setRule(undefined);
      const again = await handler(redeliver(bodies, out.batchItemFailures), lambdaContext);
      expect(again.batchItemFailures).toEqual([]);
      await expectAllStoredOnce(bodies, counting);
      // A further redelivery of the whole batch (a visibility timeout) changes nothing.
      expect((await handler(sqsEvent(bodies.slice(0, -2)), lambdaContext)).batchItemFailures).toEqual([]);
      await expectAllStoredOnce([], counting);
    });

    it('batch writes that keep coming back unprocessed (a hot partition) fail only those devices; redelivery completes them', async () => {
      const hot = new Set(ids.slice(0, 3));
      proxy.setRule((request) => {
        if (!isOp('BatchWriteItem', db.tableNames.telemetryHistory)(request)) return undefined;
        const body = JSON.parse(request.body.toString('utf8')) as { RequestItems: Record<string, { PutRequest: { Item: { deviceId: { S: string } } } }[]> };
        const table = db.tableNames.telemetryHistory;
        const puts = body.RequestItems[table]!;
        const held = puts.filter((p) => hot.has(p.PutRequest.Item.deviceId.S));
        const passed = puts.filter((p) => !hot.has(p.PutRequest.Item.deviceId.S));
        if (held.length === 0) return undefined;
        if (passed.length === 0) return { answer: { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ UnprocessedItems: { [table]: held } }) } };
        return {
          rewrite: {
            body: Buffer.from(JSON.stringify({ ...body, RequestItems: { [table]: passed } })),
            answer: (status, text) => ({ status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ ...JSON.parse(text), UnprocessedItems: { [table]: held } }) }),
          },
        };
      });
      const { handler, counting } = counted();
      const bodies = batch();
      const out = await handler(sqsEvent(bodies), lambdaContext);
      const failedIds = new Set(out.batchItemFailures.map((f) => JSON.parse(bodies[Number(f.itemIdentifier.slice(2))]!).deviceId as string));
      expect(failedIds).toEqual(hot);
      expect(out.batchItemFailures).toHaveLength(2 * hot.size);

      proxy.setRule(undefined);
      expect((await handler(redeliver(bodies, out.batchItemFailures), lambdaContext)).batchItemFailures).toEqual([]);
      await expectAllStoredOnce(bodies, counting);
    });

    it("one device's state writes throttled throughout: only its newest record fails, and its redelivery moves the state once", async () => {
      const hotId = ids[4]!;
      proxy.setRule(always((r) => isOp('PutItem', db.tableNames.deviceState)(r) && r.body.includes(`"${hotId}"`), THROTTLED));
      const { handler, counting } = counted();
      const bodies = batch();
      const before = await stateOf(hotId);
      const out = await handler(sqsEvent(bodies), lambdaContext);
      const hotIndex = ids.indexOf(hotId);
      // The older message of the device is history only (superseded in the batch): it needs no redelivery.
      expect(out.batchItemFailures).toEqual([{ itemIdentifier: `m-${2 * hotIndex + 1}` }]);
      expect(await stateOf(hotId)).toEqual(before);

      proxy.setRule(undefined);
      expect((await handler(redeliver(bodies, out.batchItemFailures), lambdaContext)).batchItemFailures).toEqual([]);
      await expectAllStoredOnce(bodies, counting);
    });

    it('state reads throttled throughout: every valid record fails (nothing decided on a partial read); redelivery stores each once', async () => {
      proxy.setRule(always(isOp('BatchGetItem', db.tableNames.deviceState), THROUGHPUT_EXCEEDED));
      const { handler, counting } = counted();
      const bodies = batch();
      const out = await handler(sqsEvent(bodies), lambdaContext);
      expect(out.batchItemFailures).toHaveLength(2 * ids.length);
      expect(counting.applied.size).toBe(0);

      proxy.setRule(undefined);
      expect((await handler(redeliver(bodies, out.batchItemFailures), lambdaContext)).batchItemFailures).toEqual([]);
      await expectAllStoredOnce(bodies, counting);
    });

    it('the registry read throttled throughout: the valid records fail, none is wrongly quarantined as unknown', async () => {
      proxy.setRule(always(isOp('BatchGetItem', db.tableNames.devices), THROUGHPUT_EXCEEDED));
      const { handler, counting } = counted();
      const bodies = batch();
      const out = await handler(sqsEvent(bodies), lambdaContext);
      // The stranger's record fails too: whether it is registered could not be read.
      expect(out.batchItemFailures).toHaveLength(2 * ids.length + 1);
      for (const body of bodies.slice(0, -2)) expect(await quarantined(body)).toEqual([]);

      proxy.setRule(undefined);
      expect((await handler(redeliver(bodies, out.batchItemFailures), lambdaContext)).batchItemFailures).toEqual([]);
      await expectAllStoredOnce(bodies, counting);
      expect(await quarantined(bodies.at(-1)!)).toHaveLength(1);
    });
  });

  describe('plan-devices: plan storage throttled', () => {
    let shadows: LocalShadowService;
    let iot: IoTDataPlaneClient;
    const planFleet = generateFleet(3, 5).map((h, i) => ({ ...h, record: { ...h.record, deviceId: `plan-heater-${i}` } }));
    const planIds = planFleet.map((h) => h.record.deviceId);
    let events: RecordingPublisher;

    beforeAll(async () => {
      await registerFleet(db.doc, db, planFleet);
      await storeMarketDays(db.doc, db, { zone: 'DK2', cell: planFleet[0]!.record.weatherCell, days: ['2023-01-10', '2023-01-11', '2023-01-12'], updatedAt: NOW.toISOString() });
      shadows = await startShadowService({ now: clock.now });
      iot = new IoTDataPlaneClient({ endpoint: shadows.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
    });
    afterAll(async () => {
      iot?.destroy();
      await shadows?.close();
    });
    beforeEach(() => {
      events = new RecordingPublisher();
    });

    const plans = () => db.stores.plans();
    /** The hourly replan, for these devices only (the registry holds the ingest tests' heaters too). */
    const replan = busEvent('ReplanRequested', { reason: 'hourly', deviceIds: planIds }, NOW);
    const planDevices = () =>
      makePlanDevices({
        devices: new DynamoDeviceRegistry(doc, db.tableNames.devices),
        states: new DynamoDeviceStateStore(doc, db.tableNames.deviceState),
        plans: new DynamoPlanStore(doc, db.tableNames.plans),
        market: new StoredMarketInputs(new DynamoMarketDataStore(doc, db.tableNames.marketData)),
        events,
        clock,
        gridEvents: new DynamoGridEventStore(doc, db.tableNames.gridEvents),
      });
    const push = async () => {
      const pushShadow = makePushShadow({
        plans: plans(),
        shadows: new IotShadowWriter(iot, { baseDelayMs: 1, maxDelayMs: 5 }),
        status: db.stores.deviceStatus(),
        clock,
      });
      for (const cohort of events.of('PlansStored')) await pushShadow(busEvent('PlansStored', cohort, NOW), lambdaContext);
    };
    const latestV = async () => Promise.all(planIds.map(async (id) => (await plans().latest(id))?.plan.v ?? 0));
    /** Every version stored for the device, oldest first: they must run 1, 2, 3 … with no gap and no repeat. */
    const versionsOf = async (id: string) => {
      const out: number[] = [];
      for (let v = 1; ; v++) {
        const found = await plans().getMany([{ deviceId: id, v }]);
        if (!found.has(id)) return out;
        out.push(v);
      }
    };
    /** What the device executes: its shadow's plan, valid now, with its fallback band. */
    const heldPlan = async (id: string) => {
      const held = await new IotShadowWriter(iot).readPlan(id);
      const plan = PlanDocument.parse(held.plan);
      expect(Date.parse(plan.validUntil)).toBeGreaterThan(NOW.getTime());
      return plan;
    };
    const isPlanPut = (id?: string) => (r: ProxiedRequest) => isOp('PutItem', db.tableNames.plans)(r) && (id === undefined || r.body.includes(`"${id}"`));

    it('plans and pushes every device first (the plan each device will keep through the faults)', async () => {
      expect(await planDevices()(replan, lambdaContext)).toEqual({ planned: 3 });
      await push();
      for (const id of planIds) expect((await heldPlan(id)).v).toBe(1);
    });

    it('a short burst of throttled plan writes is absorbed by the SDK retries: one new version per device', async () => {
      const rule = firstN(2, isPlanPut(), THROUGHPUT_EXCEEDED);
      proxy.setRule(rule);
      expect(await planDevices()(replan, lambdaContext)).toEqual({ planned: 3 });
      expect(rule.used).toBe(2);
      expect(await latestV()).toEqual([2, 2, 2]);
      for (const id of planIds) expect(await versionsOf(id)).toEqual([1, 2]);
    });

    it("one device's plan writes throttled throughout: it keeps its previous plan (stored and in its shadow), the others move on", async () => {
      const [stuck, ...others] = planIds;
      proxy.setRule(always(isPlanPut(stuck), THROUGHPUT_EXCEEDED));
      const shadowBefore = await heldPlan(stuck!);
      expect(await planDevices()(replan, lambdaContext)).toEqual({ planned: 2 });
      // Only the planned devices are announced, so the push never touches the stuck device's shadow.
      expect(events.of('PlansStored').flatMap((c) => c.devices)).toEqual(expect.arrayContaining(others.map((deviceId) => ({ deviceId, v: 3 }))));
      expect(events.of('PlansStored').flatMap((c) => c.devices).map((d) => d.deviceId)).not.toContain(stuck);
      expect(await latestV()).toEqual([2, 3, 3]);
      await push();
      expect(await heldPlan(stuck!)).toEqual(shadowBefore);
    });

    it('plan writes throttled for every device: the invocation fails for a retry, nothing is announced, every device keeps its plan', async () => {
      proxy.setRule(always(isPlanPut(), THROTTLED));
      const shadowsBefore = await Promise.all(planIds.map(heldPlan));
      await expect(planDevices()(replan, lambdaContext)).rejects.toThrow(/planning failed for all 3 devices: .*Throughput exceeds the current capacity/);
      expect(events.published).toEqual([]);
      expect(await latestV()).toEqual([2, 3, 3]);
      expect(await Promise.all(planIds.map(heldPlan))).toEqual(shadowsBefore);

      // The retry, once the throttling is over, plans every device once, versions moving on without a gap.
      proxy.setRule(undefined);
      expect(await planDevices()(replan, lambdaContext)).toEqual({ planned: 3 });
      expect(await latestV()).toEqual([3, 4, 4]);
      expect(await versionsOf(planIds[0]!)).toEqual([1, 2, 3]);
      expect(await versionsOf(planIds[1]!)).toEqual([1, 2, 3, 4]);
    });

    it('the previous plan unreadable (its query throttled): the device fails cleanly, is not announced, keeps its plan', async () => {
      const [stuck] = planIds;
      proxy.setRule(always((r) => r.operation === 'Query' && tableOf(r) === db.tableNames.plans && r.body.includes(`"${stuck}"`), THROUGHPUT_EXCEEDED));
      const before = await latestV();
      expect(await planDevices()(replan, lambdaContext)).toEqual({ planned: 2 });
      expect(events.of('PlansStored').flatMap((c) => c.devices).map((d) => d.deviceId)).not.toContain(stuck);
      expect((await latestV())[0]).toBe(before[0]);
    });

    it('a plan write applied but answered 500 (the answer lost): the SDK retry meets its own write; no version is overwritten or skipped', async () => {
      const [lost] = planIds;
      let fired = false;
      proxy.setRule((r) => {
        if (fired || !isPlanPut(lost)(r)) return undefined;
        fired = true;
        return { forwardThenAnswer: dynamoError('InternalServerError', 'Internal server error') };
      });
      const before = (await latestV())[0]!;
      expect(await planDevices()(replan, lambdaContext)).toEqual({ planned: 3 });
      expect(fired).toBe(true);
      // The retried write found its own item (condition failed), so the planner took the next version: the
      // device gets two identical versions, never a lost or overwritten one.
      const versions = await versionsOf(lost!);
      expect(versions).toEqual(Array.from({ length: before + 2 }, (_, i) => i + 1));
      const first = (await plans().getMany([{ deviceId: lost!, v: before + 1 }])).get(lost!)!;
      const second = (await plans().latest(lost!))!;
      expect(second.plan.powerW).toEqual(first.plan.powerW);
      expect(events.of('PlansStored').flatMap((c) => c.devices)).toContainEqual({ deviceId: lost, v: before + 2 });
    });
  });
});
