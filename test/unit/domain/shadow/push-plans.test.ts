import { describe, expect, it } from 'vitest';
import { toPlanDocument } from '../../../../functions/domain/planning/plan-document.ts';
import { pushPlans, type PushPlansPorts } from '../../../../functions/domain/shadow/push-plans.ts';
import type { HeldPlan, ShadowWriter } from '../../../../functions/ports/shadow-writer.ts';
import type { DeviceStatusStore, PlanStore, StoredPlan } from '../../../../functions/ports/stores.ts';
import type { PlanDocument } from '../../../../schemas/shadow.ts';

const NOW = new Date('2026-01-10T12:00:00Z');

const stored = (deviceId: string, v: number): StoredPlan => ({
  deviceId,
  plan: toPlanDocument({ v, start: NOW, stepS: 900, powerW: Array.from({ length: 192 }, (_, k) => (k % 8 < 4 ? 1200 + v : 0)), fallback: { minC: 18, maxC: 21 } }),
  createdAt: NOW.toISOString(),
  reason: 'hourly',
  policy: 'hearth-dp',
});

/** Every stored version, readable by version in batches and as the latest by query; counts the queries. */
class VersionedPlans implements PlanStore {
  readonly versions = new Map<string, StoredPlan[]>();
  readonly latestAskedFor: string[] = [];
  /** Versions a batch read does not see yet (an eventually consistent read right after the write). */
  readonly unreadable = new Set<string>();

  add(deviceId: string, v: number) {
    this.versions.set(deviceId, [...(this.versions.get(deviceId) ?? []), stored(deviceId, v)]);
  }
  async latest(deviceId: string) {
    this.latestAskedFor.push(deviceId);
    return this.versions.get(deviceId)?.at(-1);
  }
  async getMany(keys: readonly { deviceId: string; v: number }[]) {
    const found = new Map<string, StoredPlan>();
    for (const { deviceId, v } of keys) {
      const plan = this.versions.get(deviceId)?.find((p) => p.plan.v === v);
      if (plan && !this.unreadable.has(`${deviceId}#${v}`)) found.set(deviceId, plan);
    }
    return found;
  }
  async put(): Promise<'stored'> {
    throw new Error('pushPlans never stores plans');
  }
}

class MemoryShadows implements ShadowWriter {
  readonly held = new Map<string, { plan: PlanDocument; version: number }>();
  reads = 0;
  async readPlan(deviceId: string): Promise<HeldPlan> {
    this.reads++;
    return this.held.get(deviceId) ?? {};
  }
  async writePlan(deviceId: string, plan: PlanDocument, expectedVersion: number | undefined): Promise<'written' | 'conflict'> {
    if (this.held.get(deviceId)?.version !== expectedVersion) return 'conflict';
    this.held.set(deviceId, { plan, version: (expectedVersion ?? 0) + 1 });
    return 'written';
  }
}

const recordedStatus = (): DeviceStatusStore & { desired: Map<string, number> } => {
  const desired = new Map<string, number>();
  return {
    desired,
    recordPresence: async () => 'applied',
    recordDesiredPlan: async (deviceId, v) => {
      desired.set(deviceId, Math.max(v, desired.get(deviceId) ?? 0));
      return 'applied';
    },
    getMany: async (ids) => new Map(ids.filter((id) => desired.has(id)).map((id) => [id, { deviceId: id, desiredPlanV: desired.get(id)! }])),
    delete: async () => undefined,
  };
};

function ports(plans: VersionedPlans): PushPlansPorts & { shadows: MemoryShadows; status: ReturnType<typeof recordedStatus> } {
  return { plans, shadows: new MemoryShadows(), status: recordedStatus(), clock: { now: () => NOW } };
}

describe('pushPlans reads the announced plans in batches', () => {
  it('pushes announced versions that are the latest without a query per device', async () => {
    const plans = new VersionedPlans();
    const ids = Array.from({ length: 250 }, (_, i) => `heater-${i}`);
    for (const id of ids) plans.add(id, 3);
    const p = ports(plans);

    const result = await pushPlans({ reason: 'hourly', devices: ids.map((deviceId) => ({ deviceId, v: 3 })) }, p);

    expect(result).toMatchObject({ pushed: 250, failed: [], missing: [] });
    expect(plans.latestAskedFor).toEqual([]);
    expect([...p.shadows.held.values()].every((h) => h.plan.v === 3)).toBe(true);
    expect([...p.status.desired.values()].every((v) => v === 3)).toBe(true);
  });

  it('pushes the newest plan when a later version was stored after the announcement', async () => {
    const plans = new VersionedPlans();
    plans.add('heater-a', 3);
    plans.add('heater-b', 3);
    plans.add('heater-b', 4);
    const p = ports(plans);

    const result = await pushPlans({ reason: 'hourly', devices: [{ deviceId: 'heater-a', v: 3 }, { deviceId: 'heater-b', v: 3 }] }, p);

    expect(result.pushed).toBe(2);
    expect(p.shadows.held.get('heater-b')?.plan.v).toBe(4);
    expect(p.status.desired.get('heater-b')).toBe(4);
    expect(plans.latestAskedFor).toEqual(['heater-b']);
  });

  it('asks for the latest of a device whose announced version the batch read does not see yet', async () => {
    const plans = new VersionedPlans();
    plans.add('heater-a', 7);
    plans.unreadable.add('heater-a#7');
    const p = ports(plans);

    const result = await pushPlans({ reason: 'hourly', devices: [{ deviceId: 'heater-a', v: 7 }] }, p);

    expect(result.pushed).toBe(1);
    expect(p.shadows.held.get('heater-a')?.plan.v).toBe(7);
    expect(plans.latestAskedFor).toEqual(['heater-a']);
  });

  it('reports a device with no stored plan at all as missing and writes nothing for it', async () => {
    const plans = new VersionedPlans();
    const p = ports(plans);

    const result = await pushPlans({ reason: 'hourly', devices: [{ deviceId: 'heater-gone', v: 2 }] }, p);

    expect(result).toMatchObject({ pushed: 0, missing: ['heater-gone'], failed: [] });
    expect(p.shadows.held.size).toBe(0);
  });

  it('an older announcement arriving after a newer plan was pushed leaves the newer one in the shadow', async () => {
    const plans = new VersionedPlans();
    plans.add('heater-a', 5);
    plans.add('heater-a', 6);
    const p = ports(plans);

    await pushPlans({ reason: 'hourly', devices: [{ deviceId: 'heater-a', v: 6 }] }, p);
    const late = await pushPlans({ reason: 'hourly', devices: [{ deviceId: 'heater-a', v: 5 }] }, p);

    expect(late).toMatchObject({ pushed: 0, suppressed: 1 });
    expect(p.shadows.held.get('heater-a')?.plan.v).toBe(6);
  });
});

describe('pushPlans decides against the plan our records say the shadow holds', () => {
  /** heater-a holds v3 by the shadow and by our records; v4 is stored, the same plan or a changed one. */
  async function heldV3(nextChanges: boolean) {
    const plans = new VersionedPlans();
    plans.add('heater-a', 3);
    const p = ports(plans);
    await pushPlans({ reason: 'hourly', devices: [{ deviceId: 'heater-a', v: 3 }] }, p);
    const next = stored('heater-a', 4);
    const same = stored('heater-a', 3).plan.powerW;
    plans.versions.get('heater-a')!.push({ ...next, plan: { ...next.plan, powerW: nextChanges ? same.map((w) => (w === 0 ? 1500 : 0)) : same } });
    p.shadows.reads = 0;
    return { plans, p };
  }

  it('a replan that changes nothing soon costs no shadow request', async () => {
    const { p } = await heldV3(false);
    const result = await pushPlans({ reason: 'hourly', devices: [{ deviceId: 'heater-a', v: 4 }] }, p);
    expect(result).toMatchObject({ pushed: 0, suppressed: 1, failed: [] });
    expect(p.shadows.reads).toBe(0);
    expect(p.shadows.held.get('heater-a')?.plan.v).toBe(3);
  });

  it('a replan that changes what the device does reads the shadow, then writes', async () => {
    const { p } = await heldV3(true);
    const result = await pushPlans({ reason: 'prices', devices: [{ deviceId: 'heater-a', v: 4 }] }, p);
    expect(result).toMatchObject({ pushed: 1, suppressed: 0 });
    expect(p.shadows.reads).toBe(1);
    expect(p.shadows.held.get('heater-a')?.plan.v).toBe(4);
    expect(p.status.desired.get('heater-a')).toBe(4);
  });

  it('a replan reconciliation asked for reads the shadow, whatever the records say', async () => {
    const { p } = await heldV3(false);
    // The records are what reconciliation doubts: here the shadow was emptied behind our back.
    p.shadows.held.delete('heater-a');
    const result = await pushPlans({ reason: 'reconciliation', devices: [{ deviceId: 'heater-a', v: 4 }] }, p);
    expect(result).toMatchObject({ pushed: 1 });
    expect(p.shadows.reads).toBe(1);
    expect(p.shadows.held.get('heater-a')?.plan.v).toBe(4);
  });

  it('reads the shadow when the recorded version is no longer in the plan history', async () => {
    const { plans, p } = await heldV3(false);
    plans.versions.set('heater-a', plans.versions.get('heater-a')!.filter((s) => s.plan.v !== 3));
    const result = await pushPlans({ reason: 'hourly', devices: [{ deviceId: 'heater-a', v: 4 }] }, p);
    expect(p.shadows.reads).toBe(1);
    expect(result.suppressed + result.pushed).toBe(1);
  });
});
