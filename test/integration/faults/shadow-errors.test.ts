import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoDeviceStatusStore } from '../../../functions/adapters/dynamodb/device-status-store.ts';
import type { DynamoPlanStore } from '../../../functions/adapters/dynamodb/plan-store.ts';
import { IotShadowWriter } from '../../../functions/adapters/iot/shadow-writer.ts';
import { makeHandler as makePushShadow } from '../../../functions/handlers/push-shadow.ts';
import { startShadowService, type LocalShadowService } from '../../../local/iot/shadow-service.ts';
import { startDynamoFixture, type DynamoFixture } from '../../support/local-dynamo.ts';
import { lambdaContext } from '../../support/sqs-event.ts';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from './support/fault-proxy.ts';
import { floorToStep, planShadow, reportPlanVersion, storePlans } from './support/plans.ts';
import { busEvent } from './support/seed.ts';

/**
 * Shadow errors at the push-shadow handler: what test/integration/shadow-writer.test.ts shows for one push
 * (409 races, 429/5xx retried with backoff, bounded attempts, pacing) seen through the handler, over a cohort,
 * with the plan store and the device-status record, and with EventBridge's retry of a failed invocation.
 * 429 and 5xx come from the local shadow service's fault injector; a 409 is the service's own answer to a
 * real version race; an answer lost after the update was applied comes from a proxy in front of the service.
 * Each test checks that every device ends with its newest plan in its shadow, written once, and that between
 * failures each device keeps the valid plan it had.
 */
const NOW = new Date('2023-01-10T12:07:00Z');
const START = floorToStep(NOW);
const clock = { now: () => NOW };

describe('push-shadow against the local shadow service: 409, 429, 5xx and lost answers', () => {
  let db: DynamoFixture;
  let service: LocalShadowService;
  let proxy: FaultProxy;
  /** The handler's client: through the proxy, no SDK retries (the writer retries itself, as configured on Lambda). */
  let iot: IoTDataPlaneClient;
  /** Straight to the service: the test's own reads, and the device's reports. */
  let direct: IoTDataPlaneClient;
  let plans: DynamoPlanStore;
  let status: DynamoDeviceStatusStore;
  let n = 0;
  /** Fresh device ids per test, each holding v1 in its shadow (pushed without faults). */
  let ids: string[];

  const client = (endpoint: string) => new IoTDataPlaneClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
  const pushShadow = (maxAttempts = 6) =>
    makePushShadow({ plans, status, clock, shadows: new IotShadowWriter(iot, { baseDelayMs: 1, maxDelayMs: 5, maxAttempts, perThingPerSecond: 1000 }) });
  const plansStored = (devices: { deviceId: string; v: number }[]) => busEvent('PlansStored', { reason: 'hourly', devices }, NOW);
  const versions = () => Promise.all(ids.map(async (id) => (await planShadow(direct, id)).version));
  const desiredV = () => Promise.all(ids.map(async (id) => (await planShadow(direct, id)).desired?.v));
  const recordedV = async () => {
    const statuses = await status.getMany(ids);
    return ids.map((id) => statuses.get(id)?.desiredPlanV);
  };
  /** What each device executes between attempts: a plan valid now, with its fallback band. */
  const expectValidPlans = async () => {
    for (const id of ids) {
      const { desired } = await planShadow(direct, id);
      expect(desired, id).toBeDefined();
      expect(Date.parse(desired!.validUntil)).toBeGreaterThan(NOW.getTime());
      expect(desired!.fallback).toEqual({ minC: 18, maxC: 21 });
    }
  };
  const isUpdateOf = (id: string) => (r: ProxiedRequest) => r.method === 'POST' && r.path.startsWith(`/things/${encodeURIComponent(id)}/shadow`);

  beforeAll(async () => {
    db = await startDynamoFixture();
    service = await startShadowService({ now: clock.now });
    proxy = await startFaultProxy(service.endpoint);
    iot = client(proxy.endpoint);
    direct = client(service.endpoint);
    plans = db.stores.plans();
    status = db.stores.deviceStatus();
  });
  afterAll(async () => {
    iot?.destroy();
    direct?.destroy();
    await proxy?.close();
    await service?.close();
    await db?.close();
  });
  beforeEach(async () => {
    proxy.setRule(undefined);
    service.faults.clear();
    n++;
    ids = [0, 1, 2].map((i) => `heater-t${n}-${i}`);
    const v1 = await storePlans(plans, ids, 1, START);
    await pushShadow()(plansStored(v1), lambdaContext);
    expect(await versions()).toEqual([1, 1, 1]);
  });

  it('429, 500 and 503 that pass within the attempts: the invocation succeeds, each shadow changes once, each version is recorded', async () => {
    const v2 = await storePlans(plans, ids, 2, START);
    service.faults.inject({ thingName: ids[0], status: 429, times: 3 });
    service.faults.inject({ thingName: ids[1], status: 500, times: 1 });
    service.faults.inject({ thingName: ids[1], status: 503, times: 2 });
    expect(await pushShadow()(plansStored(v2), lambdaContext)).toMatchObject({ pushed: 3, suppressed: 0, conflictRetried: 0, failed: [] });
    expect(service.faults.pending).toBe(0);
    expect(await versions()).toEqual([2, 2, 2]);
    expect(await desiredV()).toEqual([2, 2, 2]);
    expect(await recordedV()).toEqual([2, 2, 2]);
  });

  it("faults past the writer's attempts fail those devices alone; EventBridge's retry writes them and leaves the rest untouched", async () => {
    const v2 = await storePlans(plans, ids, 2, START);
    // Three attempts per request here; each device's faults outlast them.
    service.faults.inject({ thingName: ids[0], status: 429, times: 3 });
    service.faults.inject({ thingName: ids[1], status: 503, times: 3 });
    const push = pushShadow(3);
    await expect(push(plansStored(v2), lambdaContext)).rejects.toThrow(
      new RegExp(`shadow push failed for 2 device\\(s\\): .*${ids[0]}: Rate exceeded.*${ids[1]}: The service is temporarily unavailable|shadow push failed for 2 device\\(s\\): .*${ids[1]}: The service is temporarily unavailable.*${ids[0]}: Rate exceeded`),
    );
    expect(await versions()).toEqual([1, 1, 2]);
    expect(await recordedV()).toEqual([1, 1, 2]);
    await expectValidPlans();

    // The retry re-decides every device: the two are written, the third is already there and is not written again.
    expect(await push(plansStored(v2), lambdaContext)).toMatchObject({ pushed: 2, suppressed: 1, failed: [] });
    expect(await versions()).toEqual([2, 2, 2]);
    expect(await desiredV()).toEqual([2, 2, 2]);
    expect(await recordedV()).toEqual([2, 2, 2]);
  });

  it("409 from the service: the device reports between the push's read and its write; the push re-reads and writes on the new version", async () => {
    const v2 = await storePlans(plans, ids, 2, START);
    const [racing] = ids;
    let raced = false;
    proxy.setRule(async (r) => {
      if (raced || !isUpdateOf(racing!)(r)) return undefined;
      raced = true;
      // The device takes v1 up and says so: the shadow's version moves on before the push's update arrives.
      await reportPlanVersion(direct, racing!, 1);
      return undefined;
    });
    expect(await pushShadow()(plansStored(v2), lambdaContext)).toMatchObject({ pushed: 2, conflictRetried: 1, failed: [] });
    expect(raced).toBe(true);
    const shadow = await planShadow(direct, racing!);
    // v1, the device's report, v2: the 409'd update was not applied, the second one was, once.
    expect(shadow.version).toBe(3);
    expect(shadow.desired?.v).toBe(2);
    expect(shadow.reported).toEqual({ v: 1 });
    expect(await recordedV()).toEqual([2, 2, 2]);
  });

  it('409 every time (a shadow that keeps changing): the device fails with the reason, keeps its plan, and the retry writes it', async () => {
    const v2 = await storePlans(plans, ids, 2, START);
    const [busy] = ids;
    let reports = 0;
    proxy.setRule(async (r) => {
      if (!isUpdateOf(busy!)(r)) return undefined;
      reports++;
      await reportPlanVersion(direct, busy!, 1);
      return undefined;
    });
    const push = pushShadow();
    await expect(push(plansStored(v2), lambdaContext)).rejects.toThrow(`${busy}: the plan shadow of ${busy} kept changing under 4 conditional writes`);
    expect(reports).toBe(4);
    expect((await planShadow(direct, busy!)).desired?.v).toBe(1);
    await expectValidPlans();

    proxy.setRule(undefined);
    expect(await push(plansStored(v2), lambdaContext)).toMatchObject({ pushed: 1, suppressed: 2, failed: [] });
    expect(await desiredV()).toEqual([2, 2, 2]);
    expect(await recordedV()).toEqual([2, 2, 2]);
  });

  describe('an update applied whose answer is lost', () => {
    it('answered 500: the retry meets a 409, finds its own plan, writes nothing more, and the version is recorded', async () => {
      const v2 = await storePlans(plans, ids, 2, START);
      const [lost] = ids;
      let fired = false;
      proxy.setRule((r) => {
        if (fired || !isUpdateOf(lost!)(r)) return undefined;
        fired = true;
        return { forwardThenAnswer: { status: 500, headers: { 'x-amzn-ErrorType': 'InternalFailureException' }, body: JSON.stringify({ message: 'An internal error occurred' }) } };
      });
      const out = await pushShadow()(plansStored(v2), lambdaContext);
      expect(fired).toBe(true);
      expect(out.failed).toEqual([]);
      // Applied once: the shadow went from v1 to v2 in one update.
      expect(await versions()).toEqual([2, 2, 2]);
      expect(await desiredV()).toEqual([2, 2, 2]);
      // Reconciliation judges a device against the version recorded here: it must be the one in the shadow.
      expect(await recordedV()).toEqual([2, 2, 2]);
    });

    it('connection dropped (the SDK names it TimeoutError, which the writer retries): the same, applied once and recorded', async () => {
      const v2 = await storePlans(plans, ids, 2, START);
      const [lost] = ids;
      let fired = false;
      proxy.setRule((r) => {
        if (fired || !isUpdateOf(lost!)(r)) return undefined;
        fired = true;
        return { forwardThenDrop: true };
      });
      const out = await pushShadow()(plansStored(v2), lambdaContext);
      expect(fired).toBe(true);
      expect(out.failed).toEqual([]);
      expect(await versions()).toEqual([2, 2, 2]);
      expect(await desiredV()).toEqual([2, 2, 2]);
      expect(await recordedV()).toEqual([2, 2, 2]);
    });
  });
});
