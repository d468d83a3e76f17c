import type { PlanningProblem } from '../../../schemas/planning-problem.ts';

/**
 * A demand-response request to the fleet over steps [fromStep, toStep) of the fleet's common planning
 * horizon: either a cap on the fleet's total draw (`capW`, one value or one per window step), or a shed target
 * (`shedW` below the load the fleet would have drawn without the request, step by step).
 */
export interface FleetDrRequest {
  fromStep: number;
  toStep: number;
  capW?: number | readonly number[];
  shedW?: number;
}

/** A cap no fleet reaches: a window step the request leaves free (finite, so relative excesses stay numbers). */
export const NO_CAP_W = 1e12;

/** Every device's problem must share the horizon, so step t means the same quarter-hour for all. */
export function checkCommonHorizon(problems: readonly PlanningProblem[]): { steps: number; stepHours: number } {
  if (problems.length === 0) throw new RangeError('a fleet DR allocation needs at least one device');
  const first = problems[0]!;
  const steps = first.outdoorC.length;
  problems.forEach((p, i) => {
    if (p.start !== first.start || p.stepMinutes !== first.stepMinutes || p.outdoorC.length !== steps) {
      throw new RangeError(`device ${i} plans ${p.start} in ${p.outdoorC.length} × ${p.stepMinutes} min; device 0 plans ${first.start} in ${steps} × ${first.stepMinutes} min`);
    }
  });
  return { steps, stepHours: first.stepMinutes / 60 };
}

/** The cap per step: the request's inside its window (from the baseline for a shed target), none outside. */
export function capPerStep(request: FleetDrRequest, steps: number, baselineLoadW: readonly number[]): number[] {
  const { fromStep, toStep, capW, shedW } = request;
  if (!(Number.isInteger(fromStep) && Number.isInteger(toStep) && 0 <= fromStep && fromStep < toStep && toStep <= steps)) {
    throw new RangeError(`DR window [${fromStep}, ${toStep}) is not within the ${steps} steps planned`);
  }
  if ((capW === undefined) === (shedW === undefined)) throw new RangeError('a DR request needs exactly one of capW and shedW');
  const caps = typeof capW === 'number' ? [capW] : (capW ?? []);
  if (caps.some((c) => !(c >= 0)) || (shedW ?? 0) < 0) throw new RangeError('capW and shedW cannot be negative');
  if (typeof capW === 'object' && capW.length !== toStep - fromStep) {
    throw new RangeError(`a per-step cap needs one value per window step: ${toStep - fromStep}, got ${capW.length}`);
  }
  return Array.from({ length: steps }, (_, t) => {
    if (t < fromStep || t >= toStep) return Infinity;
    if (capW === undefined) return Math.max(0, baselineLoadW[t]! - shedW!);
    return typeof capW === 'number' ? capW : capW[t - fromStep]!;
  });
}

/** The fleet's draw per step: the sum of its devices' plans. */
export function fleetLoad(plans: readonly { powerW: readonly number[] }[], steps: number): number[] {
  const load = new Array<number>(steps).fill(0);
  for (const plan of plans) for (let t = 0; t < steps; t++) load[t] = load[t]! + plan.powerW[t]!;
  return load;
}

/** How far the fleet's draw goes over the cap, in % of the cap, at its worst step (0 when it fits). */
export function overshootPct(loadW: readonly number[], capW: readonly number[]): number {
  let worst = 0;
  loadW.forEach((load, t) => {
    const cap = capW[t]!;
    if (!Number.isFinite(cap) || load <= cap) return;
    worst = Math.max(worst, cap > 0 ? (100 * (load - cap)) / cap : Infinity);
  });
  return worst;
}
