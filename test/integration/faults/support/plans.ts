import { GetThingShadowCommand, UpdateThingShadowCommand, type IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { toPlanDocument } from '../../../../functions/domain/planning/plan-document.ts';
import type { PlanStore } from '../../../../functions/ports/stores.ts';
import { PlanDocument } from '../../../../schemas/shadow.ts';

export const STEP_MS = 15 * 60_000;
export const floorToStep = (d: Date): Date => new Date(Math.floor(d.getTime() / STEP_MS) * STEP_MS);

/**
 * A 48 h plan from `start`: four steps on, four off, or the other way round (`flipped`), so consecutive
 * versions differ in what the device does soon and each one is worth a shadow write.
 */
export function planDocument(v: number, start: Date, flipped = v % 2 === 0): PlanDocument {
  return toPlanDocument({
    v,
    start,
    stepS: 900,
    powerW: Array.from({ length: 192 }, (_, k) => ((k % 8 < 4) !== flipped ? 1200 : 0)),
    fallback: { minC: 18, maxC: 21 },
  });
}

/** Stores version `v` of each device's plan, as plan-devices leaves it before announcing PlansStored. */
export async function storePlans(plans: PlanStore, deviceIds: readonly string[], v: number, start: Date): Promise<{ deviceId: string; v: number }[]> {
  for (const deviceId of deviceIds) {
    const stored = await plans.put({ deviceId, plan: planDocument(v, start), createdAt: start.toISOString(), reason: 'hourly', policy: 'hearth-dp' }, new Date(start.getTime() + 30 * 86_400_000));
    if (stored !== 'stored') throw new Error(`plan v${v} of ${deviceId} was stored before`);
  }
  return deviceIds.map((deviceId) => ({ deviceId, v }));
}

/** The `plan` shadow as the service holds it: its version, desired plan and reported state. */
export async function planShadow(iot: IoTDataPlaneClient, thingName: string): Promise<{ version: number; desired?: PlanDocument; reported?: unknown }> {
  const out = await iot.send(new GetThingShadowCommand({ thingName, shadowName: 'plan' }));
  const doc = JSON.parse(new TextDecoder().decode(out.payload)) as { version: number; state: { desired?: unknown; reported?: unknown } };
  return { version: doc.version, ...(doc.state.desired ? { desired: PlanDocument.parse(doc.state.desired) } : {}), ...(doc.state.reported ? { reported: doc.state.reported } : {}) };
}

/** The device reporting the plan version it executes, as its firmware does on taking a plan up. */
export async function reportPlanVersion(iot: IoTDataPlaneClient, thingName: string, v: number): Promise<void> {
  await iot.send(new UpdateThingShadowCommand({ thingName, shadowName: 'plan', payload: new TextEncoder().encode(JSON.stringify({ state: { reported: { v } } })) }));
}
