import type { PlanResult, PlanningProblem } from '../../../schemas/planning-problem.ts';
import { computePowerW } from '../planning/power-levels.ts';
import { valueAtStep } from '../planning/step-series.ts';
import { simulateRoom } from '../thermal/room-model.ts';

/**
 * What a plan costs under a planning problem — the one definition every planner and report is scored by.
 * With Δt the step in hours, T the simulated temperatures (T[0] = initialTempC) and W = 1000:
 *   energyEur    = Σ P[t]/W · Δt · price[t]
 *   revenueEur   = Σ computeW(P[t])/W · Δt · revenue[t]     (computeW interpolated between levels, see power-levels.ts)
 *   penaltyEur   = below · belowKh + above · aboveKh         (discomfortKh: the band bounds T[t+1], the end of step t)
 *   switchingEur = switchPenaltyEur · #{t ≥ 1 : P[t] ≠ P[t−1]} (the first step is not compared with the device's
 *                                                             current power, which the problem does not carry)
 *   storedHeatEur = terminalValueEurPerK · (T[N] − T[0])     (heat left in the room at the horizon's end, valued
 *                                                             against the start; negative when the room ends colder)
 *   objectiveEur = energyEur − revenueEur + penaltyEur + switchingEur − storedHeatEur
 * The optional terms default to 0, so without them objectiveEur = energyEur − revenueEur + penaltyEur exactly.
 */
export type PlanCost = PlanResult['cost'];

export interface PlanEvaluation {
  predictedTempC: number[];
  cost: PlanCost;
  /** The two objective terms PlanResult's cost has no field for. */
  adjustments: { switchingEur: number; storedHeatEur: number };
}

export interface Discomfort {
  /** Kelvin-hours below the band's minimum. */
  belowKh: number;
  /** Kelvin-hours above the band's maximum. */
  aboveKh: number;
}

/**
 * Discomfort of a temperature trajectory: `temps` has N + 1 values (start of each step, end of the last), the
 * band N; step t's band bounds temps[t + 1], counted as lasting the whole step.
 */
export function discomfortKh(temps: readonly number[], minC: readonly number[], maxC: readonly number[], stepHours: number): Discomfort {
  if (temps.length !== minC.length + 1 || maxC.length !== minC.length) {
    throw new RangeError(`discomfort needs N + 1 temperatures for N steps of band; got ${temps.length}, ${minC.length}, ${maxC.length}`);
  }
  let belowKh = 0;
  let aboveKh = 0;
  for (let t = 0; t < minC.length; t++) {
    const end = temps[t + 1]!;
    belowKh += Math.max(0, minC[t]! - end) * stepHours;
    aboveKh += Math.max(0, end - maxC[t]!) * stepHours;
  }
  return { belowKh, aboveKh };
}

export function countSwitches(powerW: readonly number[]): number {
  let switches = 0;
  for (let t = 1; t < powerW.length; t++) if (powerW[t] !== powerW[t - 1]) switches++;
  return switches;
}

export function evaluatePlan(problem: PlanningProblem, powerW: readonly number[]): PlanEvaluation {
  const steps = problem.outdoorC.length;
  if (powerW.length !== steps) throw new RangeError(`plan has ${powerW.length} steps; the problem has ${steps}`);
  const stepHours = problem.stepMinutes / 60;
  const predictedTempC = simulateRoom(problem, powerW);

  let energyEur = 0;
  let revenueEur = 0;
  for (let t = 0; t < steps; t++) {
    const p = powerW[t]!;
    energyEur += (p / 1000) * stepHours * problem.priceEurPerKWh[t]!;
    revenueEur += (computePowerW(problem.levels, p) / 1000) * stepHours * valueAtStep(problem.computeRevenueEurPerKWh, t);
  }
  const { belowKh, aboveKh } = discomfortKh(predictedTempC, problem.comfort.minC, problem.comfort.maxC, stepHours);
  const penaltyEur = problem.penalty.belowEurPerKh * belowKh + problem.penalty.aboveEurPerKh * aboveKh;
  const switchingEur = (problem.switchPenaltyEur ?? 0) * countSwitches(powerW);
  const valueEurPerK = problem.terminalValueEurPerK ?? 0;
  // Spelled out so a zero value gives 0, not −0, for a room that cooled.
  const storedHeatEur = valueEurPerK === 0 ? 0 : valueEurPerK * (predictedTempC[steps]! - predictedTempC[0]!);
  const objectiveEur = energyEur - revenueEur + penaltyEur + switchingEur - storedHeatEur;

  return { predictedTempC, cost: { energyEur, revenueEur, penaltyEur, objectiveEur }, adjustments: { switchingEur, storedHeatEur } };
}
