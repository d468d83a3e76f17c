import type { EventDetail } from '../../../schemas/events.ts';
import type { ShadowWriter } from '../../ports/shadow-writer.ts';
import type { PlanStore } from '../../ports/stores.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';

export interface PushPlansPorts {
  plans: PlanStore;
  shadows: ShadowWriter;
}

export interface PushPlansResult {
  pushed: number;
  unchanged: number;
  missing: string[];
  failed: { deviceId: string; error: string }[];
}

/** Shadow updates in flight at once per invocation; the per-account rate is what binds, not compute. */
const CONCURRENCY = 8;

/**
 * Pushes each device's latest stored plan. The latest, not the one named in the event: when events arrive
 * out of order, a device still ends up with its newest plan.
 */
export async function pushPlans(detail: EventDetail<'PlansStored'>, ports: PushPlansPorts): Promise<PushPlansResult> {
  const result: PushPlansResult = { pushed: 0, unchanged: 0, missing: [], failed: [] };
  await forEachLimited(detail.devices, CONCURRENCY, async ({ deviceId }) => {
    try {
      const latest = await ports.plans.latest(deviceId);
      if (!latest) {
        result.missing.push(deviceId);
        return;
      }
      const outcome = await ports.shadows.pushPlan(deviceId, latest.plan);
      result[outcome]++;
    } catch (e) {
      result.failed.push({ deviceId, error: (e as Error).message });
    }
  });
  return result;
}
