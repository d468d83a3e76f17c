import type { PlanningProblem } from '../../../schemas/planning-problem.ts';
import type { DpPass } from '../planning/dp-planner.ts';
import { deadline, defaultTimer, type Timer } from '../planning/time-budget.ts';
import { respond, windowAdder, withCaps, type DeviceResponse } from './device-response.ts';
import { capPerStep, checkCommonHorizon, fleetLoad, overshootPct, type FleetDrRequest } from './dr-request.ts';

/**
 * Meets a fleet cap (or shed target) over a window at the least total cost to the households, by
 * Lagrangian price signals: an adder λ[t] (EUR/kWh) on each window step, every device re-planning against
 * it — so each sheds where that is cheapest for its room (preheating before, coasting through, a lower
 * level instead of off) — and λ adjusted until the fleet fits:
 * 1. a uniform λ, found by regula falsi (Illinois) on the fleet's worst relative excess over the cap;
 * 2. then per step: lower λ where the fleet is well under the cap, raise it where it binds, keeping a change
 *    only when the fleet still fits and the households pay less (a uniform λ sheds the whole window to fit
 *    its worst step; per-step prices shed only where needed).
 * A device's response is a step function of λ, but a fleet sums hundreds of them, so its load falls
 * almost smoothly.
 *
 * - Fairness guard: no household is asked for more than `maxExtraColdKh` K·h below its band beyond what its
 *   own plan would have had; a device whose response breaks that gets a smaller adder (halved, up to three
 *   times), else keeps its own plan. The others carry the rest at a higher λ.
 * - Repair: where discreteness or the guard leave a step over the cap (beyond `tolerancePct`), the devices
 *   drawing most at that step get a cap one level lower there and re-plan, until it fits.
 * - Speed: the search plans with a light planner (`searchPasses`, hourly) and the planner's own objective;
 *   the chosen λ is planned in full and scored by evaluatePlan. A device with no window load at some λ is
 *   not re-planned at a higher one (raising the price of steps it does not use cannot change its optimum).
 */
export interface FleetDrOptions {
  /** Overshoot accepted at a step, % of the cap (default 1). */
  tolerancePct?: number;
  /** Extra K·h below the band a device may be asked for (default 1). */
  maxExtraColdKh?: number;
  /** Stop searching after this long (the best feasible λ so far is kept; default 3500 ms). */
  timeBudgetMs?: number;
  searchPasses?: readonly DpPass[];
  /** Rounds of per-step refinement (default 4). */
  refineRounds?: number;
  timer?: Timer;
}

export interface FleetDrResult {
  plans: DeviceResponse[];
  /** The adder on each window step (index 0 = fromStep) unguarded devices planned against. */
  adderEurPerKWh: number[];
  capW: number[];
  fleetLoadW: number[];
  baselineLoadW: number[];
  overshootPct: number;
  /** Σ of the devices' true objectives, and the same without the request. */
  costEur: number;
  baselineCostEur: number;
  /** Devices the fairness guard held back (smaller adder or own plan). */
  guardedDevices: number[];
  /** Devices given a cap by the repair. */
  repairedDevices: number[];
  sweeps: number;
}

export const DEFAULT_SEARCH_PASSES: readonly DpPass[] = [{ spacingK: 0.2, blockMinutes: 60 }];
const FIRST_ADDER_EUR_PER_KWH = 0.1;
const MAX_ADDER_EUR_PER_KWH = 25;
/** The uniform search stops once the fleet fits with its worst step within this share of the cap. */
const TARGET_SLACK = 0.01;
const MAX_ROOT_SWEEPS = 10;
const GUARD_HALVINGS = 3;
const MAX_REPAIR_ROUNDS = 4;

const totalCost = (plans: readonly DeviceResponse[]) => plans.reduce((s, p) => s + p.objectiveEur, 0);

/** Plans without the request: the fleet's own plans, the load a shed target is measured from. */
export function baselineResponses(problems: readonly PlanningProblem[], passes?: readonly DpPass[]): DeviceResponse[] {
  return problems.map((p) => respond(p, undefined, { passes }));
}

/** Worst relative excess of load over cap on the window (negative: the slack at the tightest step). */
function worstExcess(load: readonly number[], capW: readonly number[], request: FleetDrRequest): number {
  let worst = -Infinity;
  for (let t = request.fromStep; t < request.toStep; t++) worst = Math.max(worst, (load[t]! - capW[t]!) / Math.max(capW[t]!, 1));
  return worst;
}

export function allocateFleetDr(
  problems: readonly PlanningProblem[],
  request: FleetDrRequest,
  options: FleetDrOptions = {},
  baseline: readonly DeviceResponse[] = baselineResponses(problems),
): FleetDrResult {
  const { steps } = checkCommonHorizon(problems);
  const clock = deadline(options.timer ?? defaultTimer, options.timeBudgetMs ?? 3500);
  const tolerance = (options.tolerancePct ?? 1) / 100;
  const maxExtraColdKh = options.maxExtraColdKh ?? 1;
  const searchPasses = options.searchPasses ?? DEFAULT_SEARCH_PASSES;
  const width = request.toStep - request.fromStep;
  const baselineLoadW = fleetLoad(baseline, steps);
  const capW = capPerStep(request, steps, baselineLoadW);
  const windowLoad = (plan: { powerW: readonly number[] }) => plan.powerW.slice(request.fromStep, request.toStep).reduce((s, w) => s + w, 0);
  // A device's highest uniform adder at which it already drew nothing in the window.
  const idleFrom = problems.map((_, d) => (windowLoad(baseline[d]!) === 0 ? 0 : Infinity));
  let sweeps = 0;

  /** Every device's guarded response to per-step adders λ (window steps); devices idle at a lower λ are skipped. */
  const sweep = (lambda: readonly number[], exact: boolean) => {
    sweeps++;
    const plans = [...baseline];
    const guarded: number[] = [];
    const least = Math.min(...lambda);
    problems.forEach((problem, d) => {
      if (least >= idleFrom[d]!) return;
      let scale = 1;
      let plan: DeviceResponse | undefined;
      for (let halving = 0; halving <= GUARD_HALVINGS; halving++, scale /= 2) {
        const adder = windowAdder(steps, request.fromStep, request.toStep, lambda.map((l) => l * scale));
        const candidate = respond(problem, adder, { passes: exact ? undefined : searchPasses, exact });
        if (candidate.coldKh - baseline[d]!.coldKh <= maxExtraColdKh) {
          plan = candidate;
          break;
        }
      }
      if (!plan || scale < 1) guarded.push(d);
      plans[d] = plan ?? baseline[d]!;
      if (plan && scale === 1 && windowLoad(plan) === 0 && lambda.every((l) => l === least)) idleFrom[d] = Math.min(idleFrom[d]!, least);
    });
    const load = fleetLoad(plans, steps);
    return { lambda: [...lambda], plans, guarded, load, excess: worstExcess(load, capW, request), cost: totalCost(plans) };
  };
  type Sweep = ReturnType<typeof sweep>;
  const uniform = (l: number) => new Array<number>(width).fill(l);

  let chosen: Sweep | undefined;
  if (worstExcess(baselineLoadW, capW, request) > tolerance) {
    chosen = uniformSearch(sweep, uniform, tolerance, clock.expired);
    if (chosen) chosen = refinePerStep(chosen, sweep, capW, request, tolerance, options.refineRounds ?? 4, clock.expired);
  }
  const lambda = chosen?.lambda ?? uniform(0);
  const final = chosen ? sweep(lambda, true) : { plans: [...baseline], guarded: [] as number[] };
  const repaired = repair(problems, baseline, final.plans, capW, request, lambda, maxExtraColdKh, tolerance);
  const fleetLoadW = fleetLoad(repaired.plans, steps);
  return {
    plans: repaired.plans,
    adderEurPerKWh: lambda,
    capW,
    fleetLoadW,
    baselineLoadW,
    overshootPct: overshootPct(fleetLoadW, capW),
    costEur: totalCost(repaired.plans),
    baselineCostEur: totalCost(baseline),
    guardedDevices: final.guarded,
    repairedDevices: repaired.devices,
    sweeps,
  };
}

type SweepFn = (lambda: readonly number[], exact: boolean) => {
  lambda: number[];
  plans: DeviceResponse[];
  guarded: number[];
  load: number[];
  excess: number;
  cost: number;
};

/**
 * The smallest uniform λ at which the fleet fits: bracket by doubling, then regula falsi with the Illinois
 * modification (halving the stale end's weight), which converges in a few sweeps on a monotone excess.
 */
function uniformSearch(sweep: SweepFn, uniform: (l: number) => number[], tolerance: number, expired: () => boolean): ReturnType<SweepFn> | undefined {
  let lo = { l: 0, f: Infinity };
  let hi = sweep(uniform(FIRST_ADDER_EUR_PER_KWH), false);
  let fHi = hi.excess;
  while (fHi > tolerance && !expired()) {
    lo = { l: hi.lambda[0]!, f: fHi };
    if (lo.l >= MAX_ADDER_EUR_PER_KWH) return hi;
    hi = sweep(uniform(lo.l * 2), false);
    fHi = hi.excess;
  }
  if (lo.f === Infinity) lo = { l: 0, f: 1 };
  let best = hi;
  // Aim inside the band [−TARGET_SLACK, tolerance]: fits, without shedding much more than asked.
  const target = (tolerance - TARGET_SLACK) / 2;
  let side = 0;
  let fLo = lo.f - target;
  let fH = best.excess - target;
  let lLo = lo.l;
  let lHi = best.lambda[0]!;
  for (let i = 0; i < MAX_ROOT_SWEEPS && best.excess < -TARGET_SLACK && !expired(); i++) {
    const l = Number.isFinite(fLo) ? (lLo * fH - lHi * fLo) / (fH - fLo) : (lLo + lHi) / 2;
    const at = sweep(uniform(Math.min(Math.max(l, lLo + 1e-4 * (lHi - lLo)), lHi - 1e-4 * (lHi - lLo))), false);
    const f = at.excess - target;
    if (at.excess <= tolerance) {
      best = at;
      lHi = at.lambda[0]!;
      fH = f;
      if (side === -1) fLo /= 2;
      side = -1;
    } else {
      lLo = at.lambda[0]!;
      fLo = f;
      if (side === 1) fH /= 2;
      side = 1;
    }
  }
  return best;
}

/**
 * Per-step prices: where the fleet has slack, lower λ there (in proportion to the slack); where it binds,
 * raise it a little. A round is kept only if the fleet still fits and pays less; otherwise the next round
 * tries half the change.
 */
function refinePerStep(
  start: ReturnType<SweepFn>,
  sweep: SweepFn,
  capW: readonly number[],
  request: FleetDrRequest,
  tolerance: number,
  rounds: number,
  expired: () => boolean,
): ReturnType<SweepFn> {
  let best = start;
  let gain = 1;
  for (let round = 0; round < rounds && !expired(); round++) {
    const lambda = best.lambda.map((l, i) => {
      const t = request.fromStep + i;
      const slack = (capW[t]! - best.load[t]!) / Math.max(capW[t]!, 1);
      return slack > TARGET_SLACK ? l * Math.max(0.2, 1 - gain * 2 * slack) : l * (1 + gain * 0.1);
    });
    const at = sweep(lambda, false);
    if (at.excess <= tolerance && at.cost < best.cost) best = at;
    else gain /= 2;
  }
  return best;
}

/**
 * Where the fleet is still over the cap, caps the devices drawing most at that step one level lower there
 * (largest draw first), re-plans them, and keeps a new plan only if the guard allows it.
 */
function repair(
  problems: readonly PlanningProblem[],
  baseline: readonly DeviceResponse[],
  start: readonly DeviceResponse[],
  capW: readonly number[],
  request: FleetDrRequest,
  lambda: readonly number[],
  maxExtraColdKh: number,
  tolerance: number,
): { plans: DeviceResponse[]; devices: number[] } {
  const steps = capW.length;
  const plans = [...start];
  const caps = problems.map(() => new Map<number, number>());
  const touched = new Set<number>();
  const adder = windowAdder(steps, request.fromStep, request.toStep, lambda);
  for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
    let load = fleetLoad(plans, steps);
    if (worstExcess(load, capW, request) <= tolerance) break;
    for (let t = request.fromStep; t < request.toStep; t++) {
      const limit = capW[t]! * (1 + tolerance);
      if (load[t]! <= limit) continue;
      const drawing = plans.map((p, d) => ({ d, w: p.powerW[t]! })).filter((x) => x.w > 0).sort((x, y) => y.w - x.w || x.d - y.d);
      for (const { d, w } of drawing) {
        if (load[t]! <= limit) break;
        const lower = problems[d]!.levels.map((l) => l.powerW).filter((p) => p < w).reduce((m, p) => Math.max(m, p), 0);
        caps[d]!.set(t, lower);
        const candidate = respond(withCaps(problems[d]!, caps[d]!), adder);
        if (candidate.coldKh - baseline[d]!.coldKh > maxExtraColdKh) {
          caps[d]!.delete(t);
          continue;
        }
        plans[d] = candidate;
        touched.add(d);
        load = fleetLoad(plans, steps);
      }
    }
  }
  return { plans, devices: [...touched].sort((x, y) => x - y) };
}
