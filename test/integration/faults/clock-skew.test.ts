import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IotShadowWriter } from '../../../functions/adapters/iot/shadow-writer.ts';
import { StoredMarketInputs } from '../../../functions/adapters/market/stored-market-inputs.ts';
import { MAX_FUTURE_SKEW_MS } from '../../../functions/domain/telemetry/ingest-telemetry.ts';
import { makeHandler as makeIngest } from '../../../functions/handlers/ingest-telemetry.ts';
import { makeHandler as makePlanDevices } from '../../../functions/handlers/plan-devices.ts';
import { makeHandler as makePushShadow } from '../../../functions/handlers/push-shadow.ts';
import { generateFleet } from '../../../local/fleet/generate-fleet.ts';
import { simulatedDeviceFor } from '../../../local/fleet/simulated-heater-device.ts';
import { startMqttBroker, type LocalMqttBroker } from '../../../local/iot/mqtt-broker.ts';
import { startShadowService, type LocalShadowService } from '../../../local/iot/shadow-service.ts';
import type { SimulatedDevice } from '../../../local/simulator/simulated-device.ts';
import type { PlanDocument } from '../../../schemas/shadow.ts';
import { startDynamoFixture, type DynamoFixture } from '../../support/local-dynamo.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext, sqsEvent } from '../../support/sqs-event.ts';
import { busEvent, registerFleet, storeMarketDays } from './support/seed.ts';
import { telemetry } from './support/telemetry.ts';

/**
 * Clocks that disagree. Devices stamp telemetry with their own clock: one too far ahead is refused with a
 * reason (it would otherwise pin the device's state in the future and stall it), one behind moves forward
 * normally. The cloud plans from its own clock (the plan starts at the 15-minute step holding the cloud's
 * now), while the device's firmware follows the plan step its OWN clock is in: a device running behind waits
 * in its fallback thermostat until its clock reaches the plan's start, one running ahead plays the plan
 * early, and one whose clock is past validUntil runs its fallback thermostat (local/simulator/firmware.ts).
 */
const NOW = new Date('2023-01-10T12:07:00Z');
const clock = { now: () => NOW };
const MIN = 60_000;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

describe('clock skew', () => {
  let db: DynamoFixture;
  const fleet = generateFleet(4, 41);
  const ids = fleet.map((h) => h.record.deviceId);
  let ingest: ReturnType<typeof makeIngest>;
  const stateOf = (id: string) => db.stores.deviceState().get(id);
  const historyOf = async (id: string) => db.stores.telemetryHistory().range(id, new Date(NOW.getTime() - 86_400_000), new Date(NOW.getTime() + 86_400_000));
  const quarantined = async (raw: string) => (await db.stores.quarantine().list('telemetry')).filter((q) => q.raw === raw);

  beforeAll(async () => {
    db = await startDynamoFixture();
    await registerFleet(db.doc, db, fleet);
    ingest = makeIngest({
      devices: db.stores.knownDevices(),
      state: db.stores.deviceState(),
      history: db.stores.telemetryHistory(),
      quarantine: db.stores.quarantine(),
      clock,
    });
  });
  afterAll(async () => db?.close());

  describe('device clocks, seen by ingest-telemetry', () => {
    it(`refuses telemetry stamped more than ${MAX_FUTURE_SKEW_MS / MIN} minutes ahead, with the reason; exactly that far ahead passes`, async () => {
      const [id] = ids;
      const ahead = telemetry(id!, 1, at(MAX_FUTURE_SKEW_MS + 1000));
      const edge = telemetry(id!, 2, at(MAX_FUTURE_SKEW_MS), { powerW: 800 });
      const out = await ingest(sqsEvent([ahead, edge]), lambdaContext);
      expect(out.batchItemFailures).toEqual([]);
      const [refused] = await quarantined(ahead);
      expect(refused?.reason).toBe(`ts ${at(MAX_FUTURE_SKEW_MS + 1000)} is 301 s in the future; at most 300 s is accepted`);
      expect(await stateOf(id!)).toMatchObject({ seq: 2, ts: at(MAX_FUTURE_SKEW_MS) });
      expect((await historyOf(id!)).map((m) => m.seq)).toEqual([2]);
    });

    it('a device whose clock runs 20 minutes behind moves forward with each message, in its own time', async () => {
      const id = ids[1]!;
      for (let k = 0; k < 4; k++) {
        const body = telemetry(id, k, at(-20 * MIN + k * MIN), { powerW: k % 2 ? 1200 : 0 });
        expect((await ingest(sqsEvent([body]), lambdaContext)).batchItemFailures).toEqual([]);
        expect(await stateOf(id)).toMatchObject({ seq: k, ts: at(-20 * MIN + k * MIN) });
      }
      expect((await historyOf(id)).map((m) => m.seq)).toEqual([0, 1, 2, 3]);
    });

    it('a clock corrected backwards (4 min ahead, then NTP): later messages are kept in history and the state resumes once the clock passes its mark', async () => {
      const id = ids[2]!;
      // Accepted while 4 minutes ahead (within the limit): the state is stamped 12:11.
      await ingest(sqsEvent([telemetry(id, 10, at(4 * MIN), { powerW: 1200 })]), lambdaContext);
      // Corrected: the device's clock says 12:08, 12:09, 12:10: older than its state, so it holds.
      const corrected = [1, 2, 3].map((m) => telemetry(id, 10 + m, at(m * MIN), { powerW: m % 2 ? 0 : 1200 }));
      expect((await ingest(sqsEvent(corrected), lambdaContext)).batchItemFailures).toEqual([]);
      expect(await stateOf(id)).toMatchObject({ seq: 10 });
      // 12:12 by the corrected clock is past the mark: the state moves again. The stall is bounded by the
      // 5-minute limit on how far ahead a stamp is accepted.
      await ingest(sqsEvent([telemetry(id, 14, at(5 * MIN), { powerW: 0 })]), lambdaContext);
      expect(await stateOf(id)).toMatchObject({ seq: 14, ts: at(5 * MIN) });
      expect((await historyOf(id)).map((m) => m.seq)).toEqual([11, 12, 13, 10, 14]);
    });

    it('a device far ahead for a while: every such message is quarantined, and once its clock is right its state moves at once', async () => {
      const id = ids[3]!;
      const far = [0, 1, 2].map((m) => telemetry(id, m, at(2 * 3_600_000 + m * MIN)));
      expect((await ingest(sqsEvent(far), lambdaContext)).batchItemFailures).toEqual([]);
      for (const body of far) expect((await quarantined(body))[0]?.reason).toMatch(/s in the future; at most 300 s is accepted$/);
      expect(await stateOf(id)).toBeUndefined();
      await ingest(sqsEvent([telemetry(id, 3, at(0))]), lambdaContext);
      expect(await stateOf(id)).toMatchObject({ seq: 3, ts: at(0) });
    });
  });

  describe("the cloud's plan start against the device's own clock (reference firmware over MQTT)", () => {
    let broker: LocalMqttBroker;
    let shadows: LocalShadowService;
    let iot: IoTDataPlaneClient;
    let device: SimulatedDevice;
    let plan: PlanDocument;
    const heater = { ...fleet[0]!, record: { ...fleet[0]!.record, deviceId: 'heater-skewed' } };
    const maxLevelW = Math.max(...heater.record.levels.map((l) => l.powerW));
    /** The firmware's decision for one interval starting at the device's clock reading. */
    const stepAt = async (deviceNow: Date) => {
      const message = await device.step(deviceNow, -2, 0.25);
      return { message, decision: device.lastDecision! };
    };

    beforeAll(async () => {
      await registerFleet(db.doc, db, [heater]);
      await storeMarketDays(db.doc, db, { zone: 'DK2', cell: heater.record.weatherCell, days: ['2023-01-10', '2023-01-11', '2023-01-12'], updatedAt: NOW.toISOString() });
      broker = await startMqttBroker();
      shadows = await startShadowService({ broker: broker.aedes, now: clock.now });
      iot = new IoTDataPlaneClient({ endpoint: shadows.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
      device = simulatedDeviceFor(heater, broker.url);
      await device.connect();

      const events = new RecordingPublisher();
      const plans = db.stores.plans();
      await makePlanDevices({
        devices: db.stores.devices(),
        states: db.stores.deviceState(),
        plans,
        market: new StoredMarketInputs(db.stores.marketData()),
        events,
        clock,
        gridEvents: db.stores.gridEvents(),
      })(busEvent('ReplanRequested', { reason: 'hourly', deviceIds: [heater.record.deviceId] }, NOW), lambdaContext);
      const push = makePushShadow({ plans, status: db.stores.deviceStatus(), clock, shadows: new IotShadowWriter(iot, { baseDelayMs: 1, maxDelayMs: 5 }) });
      for (const cohort of events.of('PlansStored')) await push(busEvent('PlansStored', cohort, NOW), lambdaContext);
      await shadows.flush();
      await device.settle();
      plan = device.plan!;
    });
    afterAll(async () => {
      await device?.disconnect();
      iot?.destroy();
      await shadows?.close();
      await broker?.close();
    });

    it('the device holds the plan the cloud made: starting at the step holding the cloud’s now, 48 h long', () => {
      expect(plan.start).toBe('2023-01-10T12:00:00.000Z');
      expect(Date.parse(plan.validUntil) - Date.parse(plan.start)).toBe(48 * 3_600_000);
    });

    it('on time: the device draws the current step of the plan and reports its version', async () => {
      const { decision, message } = await stepAt(NOW);
      expect(decision).toMatchObject({ mode: 'auto', appliedPlanVersion: plan.v });
      expect(decision.powerW).toBeLessThanOrEqual(plan.powerW[0]!);
      expect(message).toMatchObject({ mode: 'auto', planVersion: plan.v });
    });

    it('clock 20 minutes behind, before the plan starts by its clock: the fallback thermostat in the plan’s band, accepted by the cloud', async () => {
      const { decision, message } = await stepAt(new Date(NOW.getTime() - 20 * MIN));
      expect(decision.mode).toBe('fallback');
      expect(decision.appliedPlanVersion).toBeUndefined();
      expect([0, maxLevelW]).toContain(decision.powerW);
      if (message.roomC < plan.fallback.minC) expect(decision.powerW).toBe(maxLevelW);
      if (message.roomC >= (plan.fallback.minC + plan.fallback.maxC) / 2) expect(decision.powerW).toBe(0);
      expect((await ingest(sqsEvent([JSON.stringify(message)]), lambdaContext)).batchItemFailures).toEqual([]);
      expect(await stateOf(heater.record.deviceId)).toMatchObject({ seq: message.seq, mode: 'fallback' });
    });

    it('clock an hour ahead: the device plays the step its clock is in (step 4, not step 0); the cloud refuses the telemetry as future-dated', async () => {
      const deviceNow = new Date(NOW.getTime() + 60 * MIN);
      const { decision, message } = await stepAt(deviceNow);
      const stepIndex = Math.floor((deviceNow.getTime() - Date.parse(plan.start)) / (plan.stepS * 1000));
      expect(stepIndex).toBe(4);
      expect(decision).toMatchObject({ mode: 'auto', appliedPlanVersion: plan.v });
      const levelAtMost = Math.max(0, ...heater.record.levels.map((l) => l.powerW).filter((w) => w <= plan.powerW[stepIndex]!));
      expect(decision.powerW).toBe(levelAtMost);
      const body = JSON.stringify(message);
      expect((await ingest(sqsEvent([body]), lambdaContext)).batchItemFailures).toEqual([]);
      expect((await quarantined(body))[0]?.reason).toMatch(/is 3600 s in the future; at most 300 s is accepted$/);
    });

    it('clock past validUntil: the plan is over by the device’s clock, so it runs its fallback thermostat and reports no plan version', async () => {
      const { decision, message } = await stepAt(new Date(Date.parse(plan.validUntil) + MIN));
      expect(decision.mode).toBe('fallback');
      expect(decision.appliedPlanVersion).toBeUndefined();
      expect(message.planVersion).toBeUndefined();
      expect([0, maxLevelW]).toContain(decision.powerW);
    });

    it('the last step by its clock is still the plan; a millisecond before validUntil is the last step', async () => {
      const { decision } = await stepAt(new Date(Date.parse(plan.validUntil) - 1));
      expect(decision).toMatchObject({ mode: 'auto', appliedPlanVersion: plan.v });
    });
  });
});
