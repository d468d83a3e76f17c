import type { EventDetail } from '../../../schemas/events.ts';
import type { PlanDocument } from '../../../schemas/shadow.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ShadowWriter } from '../../ports/shadow-writer.ts';
import type { DeviceStatusStore, PlanStore, StoredPlan } from '../../ports/stores.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';
import { DEFAULT_DELTA_POLICY, GRID_EVENT_DELTA_POLICY, planChange, type DeltaPolicy } from './plan-change.ts';

export interface PushPlansPorts {
  plans: PlanStore;
  shadows: ShadowWriter;
  status: DeviceStatusStore;
  clock: Clock;
}

export type PushOutcome = 'pushed' | 'suppressed' | 'conflict-retried' | 'failed';

export interface PushPlansResult {
  pushed: number;
  suppressed: number;
  conflictRetried: number;
  missing: string[];
  failed: { deviceId: string; error: string }[];
}

/**
 * Devices pushed at once per invocation. Each push is a read and maybe a write of about 10 ms on AWS; the
 * account's update budget (paced in the adapter) is what binds, not this.
 */
const CONCURRENCY = 16;
/** A version conflict means another writer moved the shadow between our read and our write: read, decide, retry. */
export const MAX_CONFLICT_RETRIES = 3;

/**
 * A replan reconciliation asked for exists because a device does not do what our records say it should: its
 * push reads the shadow itself. Every other push first decides against the plan our records say the shadow
 * holds, and reads the shadow only to write.
 */
export const trustsRecordedShadow = (reason: string): boolean => reason !== 'reconciliation';

/** Plans that answer a grid event are compared over their whole overlap: DR is pre-armed, not left for later. */
export const deltaPolicyFor = (reason: string): DeltaPolicy => (reason === 'grid-event' ? GRID_EVENT_DELTA_POLICY : DEFAULT_DELTA_POLICY);

/**
 * One device: read the shadow, decide, write on the condition that the shadow is still at the version read.
 * On a conflict the decision is taken again against what the other writer left: its plan may be newer.
 * Resolves to the outcome and the plan version the shadow holds afterwards.
 */
export async function pushPlan(
  deviceId: string,
  plan: PlanDocument,
  now: Date,
  policy: DeltaPolicy,
  shadows: ShadowWriter,
): Promise<{ outcome: Exclude<PushOutcome, 'failed'>; heldV?: number }> {
  for (let conflicts = 0; conflicts <= MAX_CONFLICT_RETRIES; conflicts++) {
    const held = await shadows.readPlan(deviceId);
    const change = planChange(held.plan, plan, now, policy);
    if (!change.write) return { outcome: 'suppressed', ...(held.plan ? { heldV: held.plan.v } : {}) };
    if ((await shadows.writePlan(deviceId, plan, held.version)) === 'written') {
      return { outcome: conflicts > 0 ? 'conflict-retried' : 'pushed', heldV: plan.v };
    }
  }
  throw new Error(`the plan shadow of ${deviceId} kept changing under ${MAX_CONFLICT_RETRIES + 1} conditional writes`);
}

/**
 * Pushes each device's latest stored plan where it changes what the device will do. The latest, not the one
 * named in the event: when events arrive out of order, a device still ends up with its newest plan. The plan
 * version a write leaves in the shadow is recorded, so reconciliation knows what each device should execute.
 */
export async function pushPlans(detail: EventDetail<'PlansStored'>, ports: PushPlansPorts): Promise<PushPlansResult> {
  const result: PushPlansResult = { pushed: 0, suppressed: 0, conflictRetried: 0, missing: [], failed: [] };
  const policy = deltaPolicyFor(detail.reason);
  const [announced, recorded] = await Promise.all([
    announcedPlans(detail.devices, ports.plans),
    trustsRecordedShadow(detail.reason) ? recordedHeldPlans(detail.devices, ports) : new Map<string, PlanDocument>(),
  ]);
  await forEachLimited(detail.devices, CONCURRENCY, async ({ deviceId }) => {
    try {
      const latest = announced.get(deviceId) ?? (await ports.plans.latest(deviceId));
      if (!latest) {
        result.missing.push(deviceId);
        return;
      }
      const now = ports.clock.now();
      const held = recorded.get(deviceId);
      // Most replans change nothing a device does soon: those cost no shadow request at all.
      if (held && !planChange(held, latest.plan, now, policy).write) {
        result.suppressed++;
        return;
      }
      const { outcome, heldV } = await pushPlan(deviceId, latest.plan, now, policy, ports.shadows);
      // After a write; and when the shadow already holds exactly this plan, which only a write of ours can
      // have put there whose answer was lost (a 5xx or a dropped connection after the update applied, met
      // again as a 409 or by EventBridge's retry). The record only moves forward, so a version recorded
      // before makes this a no-op; a push suppressed for an older held plan records nothing.
      if (heldV !== undefined && (outcome !== 'suppressed' || heldV === latest.plan.v)) await ports.status.recordDesiredPlan(deviceId, heldV, now);
      if (outcome === 'pushed') result.pushed++;
      else if (outcome === 'suppressed') result.suppressed++;
      else result.conflictRetried++;
    } catch (e) {
      result.failed.push({ deviceId, error: (e as Error).message });
    }
  });
  return result;
}

/**
 * The announced plans that are still each device's latest, read in batches (100 keys a request) instead of a
 * query per device. The version after each announced one is asked for too: a device whose next version
 * exists, or whose announced one is not readable yet, is left out, and the push asks for its latest alone.
 */
async function announcedPlans(devices: readonly { deviceId: string; v: number }[], plans: PlanStore): Promise<Map<string, StoredPlan>> {
  const [announced, next] = await Promise.all([plans.getMany(devices), plans.getMany(devices.map(({ deviceId, v }) => ({ deviceId, v: v + 1 })))]);
  const latest = new Map<string, StoredPlan>();
  for (const { deviceId, v } of devices) {
    const plan = announced.get(deviceId);
    if (plan && plan.plan.v === v && !next.has(deviceId)) latest.set(deviceId, plan);
  }
  return latest;
}

/**
 * The plan each device's shadow holds by our own records: the version the last push left there (device
 * status), read back from the plan history. Absent where there is no record or the version has expired from
 * the history; those devices' shadows are read.
 */
async function recordedHeldPlans(devices: readonly { deviceId: string }[], ports: Pick<PushPlansPorts, 'plans' | 'status'>): Promise<Map<string, PlanDocument>> {
  const statuses = await ports.status.getMany(devices.map((d) => d.deviceId));
  const keys = [...statuses.values()].flatMap((s) => (s.desiredPlanV !== undefined ? [{ deviceId: s.deviceId, v: s.desiredPlanV }] : []));
  const plans = keys.length ? await ports.plans.getMany(keys) : new Map<string, StoredPlan>();
  const held = new Map<string, PlanDocument>();
  for (const [deviceId, stored] of plans) if (stored.plan.v === statuses.get(deviceId)?.desiredPlanV) held.set(deviceId, stored.plan);
  return held;
}
