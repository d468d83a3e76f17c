import type { PlanningProblem } from '../../../schemas/planning-problem.ts';
import { levelLadder } from './compiled-problem.ts';
import { valueAtStep } from './step-series.ts';

/**
 * The optional objective terms the production planner sets on every device problem:
 * - a switching penalty, so a plan does not flap between two levels to imitate one in between (harmless to
 *   the bill, but plans that flap look broken and wear relays); 0.2 cent per change is below the value of any
 *   real decision, so it only breaks near-ties;
 * - the value of heat left in the room when the horizon ends, so a 48 h plan does not let the room run down
 *   in its last hours only because nothing after them is counted: one kelvin stored is worth C kWh of heat at
 *   the cheapest way the device makes heat, taken at the horizon's median (price − compute revenue × compute
 *   share of a level), and never less than nothing.
 */
export const SWITCH_PENALTY_EUR = 0.002;

/** EUR per kWh of heat made the cheapest way in step k: min over levels of price − revenue × compute share. */
function cheapestHeatEurPerKWh(problem: PlanningProblem, k: number, ladder: { powerW: number[]; computeW: number[] }): number {
  const price = problem.priceEurPerKWh[k]!;
  const revenue = valueAtStep(problem.computeRevenueEurPerKWh, k);
  let best = Infinity;
  ladder.powerW.forEach((p, l) => {
    if (p > 0) best = Math.min(best, price - (revenue * ladder.computeW[l]!) / p);
  });
  return best;
}

export function storedHeatValueEurPerK(problem: PlanningProblem): number {
  const ladder = levelLadder(problem);
  if (ladder.powerW.length < 2) return 0;
  const costs = problem.priceEurPerKWh.map((_, k) => cheapestHeatEurPerKWh(problem, k, ladder)).sort((a, b) => a - b);
  const median = costs[Math.floor(costs.length / 2)]!;
  return Math.max(0, median) * problem.room.capacityKWhPerK;
}

/** The problem with the production planner's switching penalty and stored-heat value. */
export function withProductionObjective(problem: PlanningProblem): PlanningProblem {
  return { ...problem, switchPenaltyEur: SWITCH_PENALTY_EUR, terminalValueEurPerK: storedHeatValueEurPerK(problem) };
}
