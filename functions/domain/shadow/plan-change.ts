import type { PlanDocument } from '../../../schemas/shadow.ts';
import { planPowerAt, stepStartAt } from './plan-steps.ts';

/**
 * When a new plan is worth a shadow write. Shadow updates are the scarce resource of the fleet (DESIGN: "the
 * limit is the shadow update rate"): every update costs four broker publishes and counts against an account
 * quota of a few thousand per second. The device keeps executing the plan its shadow holds until `validUntil`,
 * so a new plan is written only when it changes what the device will do soon, or when the held plan runs out.
 */
export interface DeltaPolicy {
  /** Per-step power differences up to this are the same plan (below the smallest level step of a heater). */
  deadbandW: number;
  /** This many steps may differ beyond `deadbandW` and the plan still counts as unchanged. */
  deadbandSteps: number;
  /**
   * Steps compared, from the one holding `now`. A change further ahead waits for a later replan, which runs at
   * least hourly, so it reaches the device before it takes effect, and changes that a replan takes back before
   * then never cost a write. Must comfortably exceed the replan interval.
   */
  horizonSteps: number;
  /** The held plan is renewed once fewer than this many seconds of it remain. */
  renewBeforeS: number;
}

export const DEFAULT_DELTA_POLICY: DeltaPolicy = { deadbandW: 200, deadbandSteps: 1, horizonSteps: 16, renewBeforeS: 24 * 3600 };

/** Demand response is pre-armed: a plan that answers a grid event is compared over everything both plans cover. */
export const GRID_EVENT_DELTA_POLICY: DeltaPolicy = { ...DEFAULT_DELTA_POLICY, horizonSteps: Number.POSITIVE_INFINITY };

export type PlanChange =
  | { write: true; reason: 'nothing-held' | 'renewal-due' | 'fallback-changed' | 'coverage-gap' | 'power-changed'; changedSteps?: number }
  | { write: false; reason: 'not-newer' | 'within-deadband' };

/** Whether `next` should replace `held` in the shadow at `now`. Pure. */
export function planChange(held: PlanDocument | undefined, next: PlanDocument, now: Date, policy: DeltaPolicy = DEFAULT_DELTA_POLICY): PlanChange {
  if (!held) return { write: true, reason: 'nothing-held' };
  // Versions only move forward: an older plan delivered late must not replace a newer one.
  if (next.v <= held.v) return { write: false, reason: 'not-newer' };
  const nowMs = now.getTime();
  const heldUntil = Date.parse(held.validUntil);
  if (heldUntil - nowMs < policy.renewBeforeS * 1000 && Date.parse(next.validUntil) > heldUntil) return { write: true, reason: 'renewal-due' };
  if (held.fallback.minC !== next.fallback.minC || held.fallback.maxC !== next.fallback.maxC) return { write: true, reason: 'fallback-changed' };

  const stepMs = next.stepS * 1000;
  const nextUntil = Date.parse(next.validUntil);
  let changedSteps = 0;
  for (let k = 0, t = stepStartAt(next, nowMs); k < policy.horizonSteps && t < nextUntil; k++, t += stepMs) {
    // A step that began before `now` is compared at `now`: its elapsed part no longer matters.
    const at = Math.max(t, nowMs);
    const want = planPowerAt(next, at);
    if (want === undefined) continue;
    const have = planPowerAt(held, at);
    if (have === undefined) return { write: true, reason: 'coverage-gap' };
    if (Math.abs(want - have) > policy.deadbandW && ++changedSteps > policy.deadbandSteps) {
      return { write: true, reason: 'power-changed', changedSteps };
    }
  }
  return { write: false, reason: 'within-deadband' };
}
