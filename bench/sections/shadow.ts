import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { StoredMarketInputs } from '../../functions/adapters/market/stored-market-inputs.ts';
import { IotShadowWriter } from '../../functions/adapters/iot/shadow-writer.ts';
import { planDevices } from '../../functions/domain/planning/plan-devices.ts';
import { pushPlans, type PushPlansResult } from '../../functions/domain/shadow/push-plans.ts';
import type { EventPublisher } from '../../functions/ports/event-publisher.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startMqttBroker } from '../../local/iot/mqtt-broker.ts';
import { startShadowService } from '../../local/iot/shadow-service.ts';
import { decidePower, type FirmwareState } from '../../local/simulator/firmware.ts';
import { SimulatedRoom } from '../../local/simulator/simulated-room.ts';
import type { EventDetail } from '../../schemas/events.ts';
import { MAX_PLAN_STEPS, PlanDocument } from '../../schemas/shadow.ts';
import type { BenchSection } from '../section.ts';
import { MemoryDeviceStateStore } from '../../test/support/memory-stores.ts';
import { MemoryDeviceRegistry, MemoryDeviceStatus, MemoryPlans } from '../support/memory-ports.ts';
import { PublishedSampleMarket } from '../support/published-market.ts';

const UPDATE_THINGS = 2000;
/** Updates per round; the best of the rounds is reported (the others show how much a busy machine costs). */
const UPDATES = 10_000;
const ROUNDS = 3;
const UPDATE_LANES = 64;
const DEVICES = 1000;
/** A day to reach the steady state (every plan held is one a replan decided on), then the day measured. */
const WARMUP_HOURS = 24;
const MEASURED_HOURS = 24;
const START = new Date('2023-01-15T00:00:00Z');
const HOUR_MS = 3_600_000;
const STEP_MS = 900_000;

const clientFor = (endpoint: string) =>
  new IoTDataPlaneClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });

async function inLanes(count: number, lanes: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Updates per second through the shadow writer and the real SDK, to the local service with its MQTT broker. */
async function updateRate(log: (line: string) => void): Promise<number> {
  const broker = await startMqttBroker();
  const service = await startShadowService({ broker: broker.aedes });
  const client = clientFor(service.endpoint);
  try {
    const writer = new IotShadowWriter(client);
    const plan = (v: number): PlanDocument =>
      PlanDocument.parse({
        v,
        start: START.toISOString(),
        stepS: 900,
        powerW: Array.from({ length: MAX_PLAN_STEPS }, (_, k) => ((k + v) % 8 < 4 ? 800 : 0)),
        validUntil: new Date(START.getTime() + MAX_PLAN_STEPS * STEP_MS).toISOString(),
        fallback: { minC: 18, maxC: 21 },
      });
    const thing = (i: number) => `heater-${String(i % UPDATE_THINGS).padStart(5, '0')}`;
    // Warm-up: every shadow exists, connections are open, the JIT has seen the path.
    await inLanes(UPDATE_THINGS, UPDATE_LANES, (i) => writer.writePlan(thing(i), plan(1), undefined));
    let best = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await inLanes(UPDATES, UPDATE_LANES, async (i) => {
        const out = await writer.writePlan(thing(i), plan(2 + round * 10 + Math.floor(i / UPDATE_THINGS)), undefined);
        if (out !== 'written') throw new Error(`update ${i} was not written`);
      });
      const rate = UPDATES / ((performance.now() - started) / 1000);
      log(`round ${round + 1}: ${UPDATES} updates of a 192-step plan to ${UPDATE_THINGS} things, ${UPDATE_LANES} in flight, 3 MQTT publishes each: ${Math.round(rate)}/s`);
      best = Math.max(best, rate);
    }
    return best;
  } finally {
    client.destroy();
    await service.close();
    await broker.close();
  }
}

/**
 * Hourly replans of a fleet for two days through the real planner (plan-devices) on the sample's published prices,
 * pushed by the real push path (push-plans: read the shadow, decide, write conditionally) to the local shadow
 * service. Each heater's room runs the reference firmware on the plan its shadow holds, so every replan starts
 * from the temperature the held plan produced. Counts, over the second day, the replans whose write was saved.
 */
async function suppressedFraction(log: (line: string) => void): Promise<{ fraction: number; replans: number; writes: number; reads: number }> {
  const service = await startShadowService();
  const client = clientFor(service.endpoint);
  try {
    const fleet = generateFleet(DEVICES, 1);
    const devices = new MemoryDeviceRegistry();
    for (const heater of fleet) await devices.put(heater.record);
    const states = new MemoryDeviceStateStore();
    const plans = new MemoryPlans();
    const status = new MemoryDeviceStatus();
    const market = new PublishedSampleMarket();
    let now = START;
    const clock = { now: () => now };
    const cohorts: EventDetail<'PlansStored'>[] = [];
    const planCohorts: EventDetail<'PlanCohortRequested'>[] = [];
    const events: EventPublisher = {
      publish: async (detailType, details) => {
        if (detailType === 'PlansStored') cohorts.push(...(details as unknown as EventDetail<'PlansStored'>[]));
        if (detailType === 'PlanCohortRequested') planCohorts.push(...(details as unknown as EventDetail<'PlanCohortRequested'>[]));
      },
    };
    const shadows = new IotShadowWriter(client);
    const rooms = fleet.map((h) => new SimulatedRoom(h.record.room, h.initialRoomC));
    const firmware: FirmwareState[] = fleet.map(() => ({ heating: false }));
    let seq = 0;

    const total = { replans: 0, pushed: 0, suppressed: 0, conflictRetried: 0, reads: 0 };
    for (let hour = 0; hour < WARMUP_HOURS + MEASURED_HOURS; hour++) {
      now = new Date(START.getTime() + hour * HOUR_MS);
      await market.publishUntil(now);
      for (const [k, heater] of fleet.entries()) {
        const room = rooms[k]!;
        await states.advance(
          { schema: 'hearth.telemetry/1', deviceId: heater.record.deviceId, seq: seq++, ts: now.toISOString(), roomC: room.roomC, powerW: 0 },
          now,
        );
      }
      cohorts.length = 0;
      planCohorts.length = 0;
      const ports = { devices, states, plans, market: new StoredMarketInputs(market.store), events, clock };
      // The replan fans out in cohorts, as on the bus; each is planned as plan-devices plans a delivered one.
      const fanOut = await planDevices({ reason: 'hourly' }, ports);
      const planned = { planned: [...fanOut.planned], failed: [...fanOut.failed] };
      for (const cohort of planCohorts.splice(0)) {
        const part = await planDevices({ ...cohort, cohort: true }, ports);
        planned.planned.push(...part.planned);
        planned.failed.push(...part.failed);
      }
      if (planned.failed.length) throw new Error(`planning failed: ${planned.failed[0]!.error}`);
      if (planned.planned.length !== DEVICES) throw new Error(`the replan planned ${planned.planned.length} of ${DEVICES} heaters`);
      const results: PushPlansResult[] = [];
      const readsBefore = service.requests().byMethod.GET ?? 0;
      for (const cohort of cohorts) results.push(await pushPlans(cohort, { plans, shadows, status, clock }));
      const failed = results.flatMap((r) => r.failed);
      if (failed.length) throw new Error(`push failed: ${failed[0]!.error}`);
      if (hour >= WARMUP_HOURS) {
        total.replans += planned.planned.length;
        total.reads += (service.requests().byMethod.GET ?? 0) - readsBefore;
        for (const r of results) {
          total.pushed += r.pushed;
          total.suppressed += r.suppressed;
          total.conflictRetried += r.conflictRetried;
        }
      }
      // The hour that follows: each room under the plan its shadow holds, in 15-minute steps, real outdoor air.
      for (const [k, heater] of fleet.entries()) {
        const held = PlanDocument.parse((service.store.get(heater.record.deviceId, 'plan')?.state.desired ?? {}) as unknown);
        for (let step = 0; step < 4; step++) {
          const at = new Date(now.getTime() + step * STEP_MS);
          const room = rooms[k]!;
          const decision = decidePower({
            now: at,
            plan: held,
            config: heater.config,
            fallback: heater.record.fallback,
            levels: heater.record.levels,
            roomC: room.roomC,
            chipC: room.chipC,
            state: firmware[k]!,
          });
          firmware[k] = decision.state;
          room.advance(decision.powerW, market.outdoorC(at), 0.25);
        }
      }
      if (hour % 12 === 11) log(`hour ${hour + 1}: ${total.pushed} written, ${total.suppressed} suppressed so far (measured day)`);
    }
    const writes = total.pushed + total.conflictRetried;
    return { fraction: total.suppressed / total.replans, replans: total.replans, writes, reads: total.reads };
  } finally {
    client.destroy();
    await service.close();
  }
}

export const section: BenchSection = {
  name: 'shadow',
  description: `shadow updates/s through the SDK to the local shadow service; share of writes delta suppression saves over a day of hourly replans of ${DEVICES} heaters`,
  async run(log) {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const rate = await updateRate(log);
    const started = performance.now();
    const day = await suppressedFraction(log);
    log(`${day.replans} replanned plans on the measured day, ${day.writes} shadow writes, ${day.reads} shadow reads: ${(day.fraction * 100).toFixed(1)} % of writes saved (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return {
      updatesPerSec: Math.round(rate),
      writesSuppressedFraction: Number(day.fraction.toFixed(3)),
      // Shadow reads per replanned plan: a push reads the shadow only when it is going to write.
      readsPerReplan: Number((day.reads / day.replans).toFixed(3)),
    };
  },
};
