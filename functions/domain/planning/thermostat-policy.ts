import type { PlanResult, PlanningProblem } from '../../../schemas/planning-problem.ts';
import { evaluatePlan } from '../accounting/plan-cost.ts';
import { stepCoefficients, stepRoom } from '../thermal/room-model.ts';
import { highestLevelAtMost } from './power-levels.ts';
import { valueAtStep } from './step-series.ts';

/**
 * The BASELINE planner: what a classic electric heater with a hysteresis thermostat would draw. It is kept
 * unchanged as the yardstick the optimising planners are compared against, so its definition is fixed:
 *
 * - Setpoint of step t: s[t] = minC[t] + SETPOINT_SHARE · (maxC[t] − minC[t]), a quarter of the way up the band,
 *   where a household sets a thermostat that must keep the room above the band's minimum.
 * - The thermostat reads the predicted temperature at the start of the step, T[t] (T[0] = initialTempC), and
 *   starts OFF. It switches ON when T[t] < s[t] − HYSTERESIS_K and OFF when T[t] > s[t] + HYSTERESIS_K; in
 *   between it keeps its previous state, carried from step to step.
 * - ON draws the highest level whose power is at most capW[t] (every level when capW is null; 0 W when no
 *   level fits the cap). OFF draws 0 W. Every output power is therefore a level's power or 0.
 * - T[t+1] follows from the exact room model with the problem's outdoor temperature and other heat.
 * - Prices, compute revenue and the comfort penalties play no part in the decisions; the cost is the plan's
 *   evaluation under the problem (plan-cost.ts).
 */
export const SETPOINT_SHARE = 0.25;
export const HYSTERESIS_K = 0.5;

export type Timer = () => number;

export function planThermostat(problem: PlanningProblem, timer: Timer = () => performance.now()): PlanResult {
  const started = timer();
  const steps = problem.outdoorC.length;
  const coefficients = stepCoefficients(problem.room, problem.stepMinutes / 60);
  const powerW: number[] = [];
  let tempC = problem.initialTempC;
  let heating = false;
  for (let t = 0; t < steps; t++) {
    const minC = problem.comfort.minC[t]!;
    const setpointC = minC + SETPOINT_SHARE * (problem.comfort.maxC[t]! - minC);
    if (tempC < setpointC - HYSTERESIS_K) heating = true;
    else if (tempC > setpointC + HYSTERESIS_K) heating = false;
    const capW = problem.capW ? problem.capW[t]! : Infinity;
    const p = heating ? highestLevelAtMost(problem.levels, capW).powerW : 0;
    powerW.push(p);
    tempC = stepRoom(coefficients, tempC, p + valueAtStep(problem.otherHeatW, t), problem.outdoorC[t]!);
  }
  const { predictedTempC, cost } = evaluatePlan(problem, powerW);
  return { powerW, predictedTempC, cost, solveMs: timer() - started };
}
