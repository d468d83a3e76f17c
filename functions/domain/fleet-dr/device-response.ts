import { MAX_CAP_W, type PlanningProblem } from '../../../schemas/planning-problem.ts';
import { discomfortKh } from '../accounting/plan-cost.ts';
import { planOptimal, solvePlan, type DpPass } from '../planning/dp-planner.ts';
import { simulateRoom } from '../thermal/room-model.ts';

/** A device's plan under a DR price adder (and possibly its own caps), with what the plan costs its household. */
export interface DeviceResponse {
  powerW: number[];
  /** The true objective (plan-cost.ts), without the adder. */
  objectiveEur: number;
  /** Kelvin-hours below the comfort band. */
  coldKh: number;
}

export interface RespondOptions {
  passes?: readonly DpPass[] | undefined;
  /** Score with evaluatePlan (for answers) rather than the planner's own sum (for the search). */
  exact?: boolean;
}

export function respond(problem: PlanningProblem, adderEurPerKWh: readonly number[] | undefined, options: RespondOptions = {}): DeviceResponse {
  const stepHours = problem.stepMinutes / 60;
  const planOptions = { priceAdderEurPerKWh: adderEurPerKWh, ...(options.passes ? { passes: options.passes } : {}) };
  let powerW: number[];
  let objectiveEur: number;
  let temps: number[];
  if (options.exact ?? true) {
    const plan = planOptimal(problem, planOptions);
    ({ powerW, predictedTempC: temps } = plan);
    objectiveEur = plan.cost.objectiveEur;
  } else {
    const plan = solvePlan(problem, planOptions);
    powerW = plan.powerW;
    // The planner's objective includes the adder it planned against; the household does not pay that.
    const adderEur = adderEurPerKWh ? powerW.reduce((s, w, t) => s + (w / 1000) * stepHours * adderEurPerKWh[t]!, 0) : 0;
    objectiveEur = plan.objectiveEur - adderEur;
    temps = simulateRoom(problem, powerW);
  }
  const { belowKh } = discomfortKh(temps, problem.comfort.minC, problem.comfort.maxC, stepHours);
  return { powerW, objectiveEur, coldKh: belowKh };
}

/** The problem with its own cap lowered to `capW` at the given steps (a cap already lower stays). */
export function withCaps(problem: PlanningProblem, caps: ReadonlyMap<number, number>): PlanningProblem {
  const steps = problem.outdoorC.length;
  const capW = Array.from({ length: steps }, (_, t) => {
    const own = problem.capW ? problem.capW[t]! : Infinity;
    const extra = caps.get(t);
    return extra === undefined ? own : Math.min(own, extra);
  });
  // The schema's caps are finite numbers; "no cap" becomes a cap no level reaches.
  return { ...problem, capW: capW.map((c) => Math.min(c, MAX_CAP_W)) };
}

/** A per-step adder: `eurPerKWh` inside [fromStep, toStep), 0 elsewhere. */
export function windowAdder(steps: number, fromStep: number, toStep: number, eurPerKWh: number | readonly number[]): number[] {
  return Array.from({ length: steps }, (_, t) => (t >= fromStep && t < toStep ? (typeof eurPerKWh === 'number' ? eurPerKWh : eurPerKWh[t - fromStep]!) : 0));
}
