import { GetThingShadowCommand, IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ShadowRequestStats } from '../../functions/adapters/iot/shadow-request-stats.ts';
import { IotShadowWriter } from '../../functions/adapters/iot/shadow-writer.ts';
import { DEFAULT_DELTA_POLICY } from '../../functions/domain/shadow/plan-change.ts';
import { pushPlan } from '../../functions/domain/shadow/push-plans.ts';
import type { ShadowWriter } from '../../functions/ports/shadow-writer.ts';
import { startShadowService, type LocalShadowService } from '../../local/iot/shadow-service.ts';
import { MAX_PLAN_STEPS, type PlanDocument } from '../../schemas/shadow.ts';

const NOW = new Date('2023-01-10T12:00:00Z');
const plan = (v: number, powerW: number[] = Array.from({ length: MAX_PLAN_STEPS }, (_, k) => (k % 8 < 4 ? 800 : 0))): PlanDocument => ({
  v,
  start: NOW.toISOString(),
  stepS: 900,
  powerW,
  validUntil: new Date(NOW.getTime() + powerW.length * 900_000).toISOString(),
  fallback: { minC: 18, maxC: 21 },
});
const client = (endpoint: string, maxAttempts = 1) =>
  new IoTDataPlaneClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts });
const desiredOf = async (iot: IoTDataPlaneClient, thingName: string) => {
  const out = await iot.send(new GetThingShadowCommand({ thingName, shadowName: 'plan' }));
  return JSON.parse(new TextDecoder().decode(out.payload)) as { version: number; state: { desired: PlanDocument } };
};

describe('the shadow writer against the local shadow service, through the real SDK', () => {
  let service: LocalShadowService;
  let iot: IoTDataPlaneClient;
  /** Another party writing the same shadows: the device reporting, an operator, a second push. */
  let other: IoTDataPlaneClient;
  let writer: IotShadowWriter;

  beforeAll(async () => {
    service = await startShadowService({ maxRequestsPerThingPerSecond: 20 });
    iot = client(service.endpoint);
    other = client(service.endpoint, 3);
    writer = new IotShadowWriter(iot, { baseDelayMs: 2, maxDelayMs: 20, perThingPerSecond: 1000 });
  });
  beforeEach(() => service.faults.clear());
  afterAll(async () => {
    iot?.destroy();
    other?.destroy();
    await service?.close();
  });

  it('writes a 192-step plan that fits the 8 KB shadow limit with room to spare, conditioned on the version it read', async () => {
    const big = plan(1, Array.from({ length: MAX_PLAN_STEPS }, () => 20_000));
    expect(await pushPlan('heater-size', big, NOW, DEFAULT_DELTA_POLICY, writer)).toEqual({ outcome: 'pushed', heldV: 1 });
    const stored = service.store.get('heater-size', 'plan')!;
    const bytes = new TextEncoder().encode(JSON.stringify(stored.state)).length;
    expect(bytes).toBeLessThan(8 * 1024 / 4);
    expect(stored.state.desired).toEqual(big);
    expect(await writer.readPlan('heater-size')).toEqual({ plan: big, version: 1 });
    // A write on a stale version is a conflict, not an overwrite.
    expect(await writer.writePlan('heater-size', plan(2), 0)).toBe('conflict');
    expect(await writer.writePlan('heater-size', plan(2), 1)).toBe('written');
  });

  it('409 from a concurrent writer: re-reads, re-decides and writes on the new version', async () => {
    await pushPlan('heater-race', plan(1), NOW, DEFAULT_DELTA_POLICY, writer);
    let raced = false;
    const racing: ShadowWriter = {
      readPlan: async (id) => {
        const held = await writer.readPlan(id);
        if (!raced) {
          raced = true;
          // The device reports between our read and our write: the shadow's version moves on.
          await other.send(new UpdateThingShadowCommand({ thingName: id, shadowName: 'plan', payload: new TextEncoder().encode('{"state":{"reported":{"v":1}}}') }));
        }
        return held;
      },
      writePlan: (id, p, version) => writer.writePlan(id, p, version),
    };
    const next = plan(2, plan(1).powerW.map((w) => (w === 0 ? 2000 : 0)));
    expect(await pushPlan('heater-race', next, NOW, DEFAULT_DELTA_POLICY, racing)).toEqual({ outcome: 'conflict-retried', heldV: 2 });
    const shadow = await desiredOf(iot, 'heater-race');
    expect(shadow.state.desired.v).toBe(2);
    expect(shadow.version).toBe(3);
  });

  it('409 because a newer plan got there first: the older one is not written over it', async () => {
    await pushPlan('heater-late', plan(1), NOW, DEFAULT_DELTA_POLICY, writer);
    const racing: ShadowWriter = {
      readPlan: async (id) => {
        const held = await writer.readPlan(id);
        if (held.plan?.v === 1) await other.send(new UpdateThingShadowCommand({ thingName: id, shadowName: 'plan', payload: new TextEncoder().encode(JSON.stringify({ state: { desired: plan(9) } })) }));
        return held;
      },
      writePlan: (id, p, version) => writer.writePlan(id, p, version),
    };
    const older = plan(5, plan(1).powerW.map((w) => (w === 0 ? 2000 : 0)));
    expect(await pushPlan('heater-late', older, NOW, DEFAULT_DELTA_POLICY, racing)).toEqual({ outcome: 'suppressed', heldV: 9 });
    expect((await desiredOf(iot, 'heater-late')).state.desired.v).toBe(9);
  });

  it('429 and 5xx: retried with backoff until they pass; the SDK itself does not retry', async () => {
    service.faults.inject({ thingName: 'heater-flaky', status: 429, times: 2 });
    service.faults.inject({ thingName: 'heater-flaky', status: 500, times: 1 });
    service.faults.inject({ thingName: 'heater-flaky', status: 503, times: 1 });
    expect(await pushPlan('heater-flaky', plan(1), NOW, DEFAULT_DELTA_POLICY, writer)).toEqual({ outcome: 'pushed', heldV: 1 });
    expect(service.faults.pending).toBe(0);
    expect((await desiredOf(iot, 'heater-flaky')).state.desired.v).toBe(1);
  });

  it('records every 429 as throttled (not a 5xx), and one latency per update answered, written or conflicting', async () => {
    const stats = new ShadowRequestStats();
    const counted = new IotShadowWriter(iot, { baseDelayMs: 2, maxDelayMs: 20, perThingPerSecond: 1000, stats });
    service.faults.inject({ thingName: 'heater-counted', status: 429, times: 2 });
    service.faults.inject({ thingName: 'heater-counted', status: 503, times: 1 });
    expect(await pushPlan('heater-counted', plan(1), NOW, DEFAULT_DELTA_POLICY, counted)).toEqual({ outcome: 'pushed', heldV: 1 });
    expect(await counted.writePlan('heater-counted', plan(2), 0)).toBe('conflict');
    const tally = stats.take();
    expect(tally.throttled).toBe(2);
    expect(tally.updateLatenciesMs).toHaveLength(2);
    for (const ms of tally.updateLatenciesMs) expect(ms).toBeGreaterThanOrEqual(0);
    // Taken: the next invocation starts from nothing.
    expect(stats.take()).toEqual({ throttled: 0, updateLatenciesMs: [] });
  });

  it('gives up after a bounded number of attempts, leaving the rest of the faults unconsumed', async () => {
    service.faults.inject({ thingName: 'heater-down', status: 503, times: 10 });
    const bounded = new IotShadowWriter(iot, { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4, perThingPerSecond: 1000 });
    await expect(bounded.readPlan('heater-down')).rejects.toMatchObject({ name: 'ServiceUnavailableException' });
    expect(service.faults.pending).toBe(6);
  });

  it("keeps under the service's per-thing rate: pacing avoids the throttle that unpaced bursts hit", async () => {
    const unpaced = new IotShadowWriter(iot, { maxAttempts: 1, perThingPerSecond: 100_000 });
    const burst = await Promise.allSettled(Array.from({ length: 30 }, () => unpaced.readPlan('heater-busy')));
    expect(burst.some((r) => r.status === 'rejected' && (r.reason as { name?: string }).name === 'ThrottlingException')).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 1050));
    // AWS allows 20 per second per thing, the device's own requests included; the writer keeps to its share.
    const paced = new IotShadowWriter(iot, { maxAttempts: 1, perThingPerSecond: 15 });
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => paced.readPlan('heater-busy')));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });
});
