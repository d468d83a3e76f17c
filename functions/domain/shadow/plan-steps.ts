import type { PlanDocument } from '../../../schemas/shadow.ts';

/** The planned power at an instant; undefined outside [start, validUntil) or past the last step. */
export function planPowerAt(plan: PlanDocument, at: number): number | undefined {
  const startMs = Date.parse(plan.start);
  if (at < startMs || at >= Date.parse(plan.validUntil)) return undefined;
  return plan.powerW[Math.floor((at - startMs) / (plan.stepS * 1000))];
}

/** Start of the plan step holding `at` (the steps run from `start` every `stepS`, also before it). */
export function stepStartAt(plan: PlanDocument, at: number): number {
  const startMs = Date.parse(plan.start);
  const stepMs = plan.stepS * 1000;
  return startMs + Math.floor((at - startMs) / stepMs) * stepMs;
}
