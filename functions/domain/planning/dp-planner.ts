import type { PlanResult, PlanningProblem } from '../../../schemas/planning-problem.ts';
import { evaluatePlan } from '../accounting/plan-cost.ts';
import { coarsenInTime, compileProblem, levelIndexOf, objectiveOfLevels, type CompiledProblem } from './compiled-problem.ts';
import { thermostatLevels } from './compiled-thermostat.ts';
import { alignedGrid, backwardPass, forwardPass, newScratch, reachableRange, type DpScratch } from './grid-dp.ts';
import { tubeRange, windowRange } from './grid-ranges.ts';
import { deadline, defaultTimer, type Deadline, type Timer } from './time-budget.ts';
import type { ValueTable } from './value-table.ts';

/**
 * One DP pass: a grid of `spacingK` over either the whole economic window (the first pass) or a band of
 * ±`halfWidthK` around the previous pass's trajectory. The first pass may look at the horizon in blocks of
 * `blockMinutes` holding one level each (an hourly view of 15-minute steps: a quarter of the work).
 */
export interface DpPass {
  spacingK: number;
  halfWidthK?: number;
  blockMinutes?: number;
}

/**
 * Coarse to fine. The first pass, hourly and without the switching penalty, finds the corridor (preheat
 * before the evening peak or not, ride out the cheap night high or low); the later ones place the trajectory
 * within it, switching penalty included. Chosen on 2 × 24 realistic 48 h instances (with and without a
 * switching penalty) against the exact MILP (bench/sections/planner.ts): median gap ≈ 0.01 % of the bill,
 * worst ≈ 0.007 EUR per 48 h — more accurate than one 0.02 K grid over the band for a fifth of its work.
 */
export const DEFAULT_PASSES: readonly DpPass[] = [
  { spacingK: 0.2, blockMinutes: 60 },
  { spacingK: 0.05, halfWidthK: 0.5 },
  { spacingK: 0.0125, halfWidthK: 0.15 },
];

export interface PlanOptimalOptions {
  /** EUR/kWh added to each step's price while deciding (DR price adders); costs are reported without it. */
  priceAdderEurPerKWh?: readonly number[] | undefined;
  /** Hard limit on the solve; past it the best plan found so far is returned (default 50 ms). */
  timeBudgetMs?: number;
  /** The last good plan (e.g. the previous plan shifted to now): a candidate, and the answer if time runs out first. */
  fallbackPowerW?: readonly number[] | undefined;
  passes?: readonly DpPass[];
  timer?: Timer;
}

export const DEFAULT_TIME_BUDGET_MS = 50;
export type PlanSource = 'dp' | 'thermostat' | 'fallback';

export interface OptimalPlan extends PlanResult {
  /** Which candidate won: the DP, the thermostat baseline or the given fallback plan. */
  source: PlanSource;
  /** DP passes that finished within the time budget. */
  passesDone: number;
  /** True when the time budget cut the solve short. */
  timedOut: boolean;
}

// Value tables are large; solves reuse them (planOptimal is synchronous, so calls never overlap).
const scratch: DpScratch = newScratch();

/** Steps per block of about `blockMinutes`, reduced until it divides the horizon. */
function blockFactor(c: CompiledProblem, blockMinutes: number | undefined): number {
  let factor = Math.max(1, Math.round((blockMinutes ?? 0) / (c.stepHours * 60)));
  while (c.steps % factor !== 0) factor--;
  return factor;
}

/**
 * The first pass: the whole economic window, in blocks and without the switching penalty (it only has to
 * find the corridor; switching needs a value row per level, about twice the work). Returns per-step levels.
 */
function corridorPass(c: CompiledProblem, pass: DpPass, expired: () => boolean): Int32Array | undefined {
  const factor = blockFactor(c, pass.blockMinutes);
  const blocks = coarsenInTime({ ...c, switchEur: 0 }, factor);
  const range = windowRange(blocks, reachableRange(blocks));
  const grid = alignedGrid(range.from, range.to, pass.spacingK, blocks.a);
  const table = backwardPass(blocks, grid, false, undefined, scratch, 0, expired);
  if (!table) return undefined;
  const blockLevels = new Int32Array(blocks.steps);
  forwardPass(blocks, table, blockLevels, new Float64Array(blocks.steps + 1));
  const levels = new Int32Array(c.steps);
  for (let k = 0; k < c.steps; k++) levels[k] = blockLevels[Math.floor(k / factor)]!;
  return levels;
}

/** Temperatures at times 0 … N under a plan of level indices, by the exact room model. */
function simulateLevels(c: CompiledProblem, levels: Int32Array, temps: Float64Array): void {
  let t = c.initialTempC;
  temps[0] = t;
  for (let k = 0; k < c.steps; k++) {
    t = c.a * t + c.drift[k]! + c.rise[levels[k]!]!;
    temps[k + 1] = t;
  }
}

/** A given plan as level indices, or undefined when it does not fit the problem (wrong length, not levels, over a cap). */
function levelsOf(c: CompiledProblem, powerW: readonly number[] | undefined): Int32Array | undefined {
  if (!powerW || powerW.length !== c.steps) return undefined;
  const levels = new Int32Array(c.steps);
  for (let k = 0; k < c.steps; k++) {
    const l = levelIndexOf(c, k, powerW[k]!);
    if (l < 0) return undefined;
    levels[k] = l;
  }
  return levels;
}

/** What `solvePlan` answers: the chosen plan, before evaluatePlan scores it. */
export interface SolvedPlan {
  powerW: number[];
  /** The planner's own objective of the plan (with any DR adders), EUR. */
  objectiveEur: number;
  source: PlanSource;
  passesDone: number;
  timedOut: boolean;
}

/**
 * The optimisation without the final scoring: candidates (fallback, thermostat baseline, each DP pass's
 * plan) compared on the exact objective, the best one returned. planOptimal adds evaluatePlan's cost; fleet
 * DR's search, which only needs the powers, calls this directly.
 */
export function solvePlan(
  problem: PlanningProblem,
  options: PlanOptimalOptions = {},
  clock: Deadline = deadline(options.timer ?? defaultTimer, options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS),
): SolvedPlan {
  const c = compileProblem(problem, { priceAdderEurPerKWh: options.priceAdderEurPerKWh });

  let best: { levels: Int32Array; source: PlanSource; objective: number } | undefined;
  const consider = (levels: Int32Array, source: PlanSource) => {
    const objective = objectiveOfLevels(c, levels);
    // Later candidates are the better-informed ones, so they win ties.
    if (!best || objective <= best.objective + 1e-12) best = { levels, source, objective };
  };
  const fallback = levelsOf(c, options.fallbackPowerW);
  if (fallback) consider(fallback, 'fallback');
  consider(thermostatLevels(c), 'thermostat');

  const passes = options.passes ?? DEFAULT_PASSES;
  const reach = reachableRange(c);
  const temps = new Float64Array(c.steps + 1);
  let outer: ValueTable | undefined;
  let passesDone = 0;
  for (const [i, pass] of passes.entries()) {
    let levels: Int32Array | undefined;
    if (i === 0 || pass.halfWidthK === undefined) {
      levels = corridorPass(c, pass, clock.expired);
      // The next pass's band is centred on this plan's exact trajectory.
      if (levels) simulateLevels(c, levels, temps);
      outer = undefined;
    } else {
      const range = tubeRange(temps, reach, pass.halfWidthK);
      const grid = alignedGrid(range.from, range.to, pass.spacingK, c.a);
      const table = backwardPass(c, grid, c.switchEur > 0, outer, scratch, i, clock.expired);
      if (table) {
        levels = new Int32Array(c.steps);
        forwardPass(c, table, levels, temps);
        outer = table;
      }
    }
    if (!levels) break;
    consider(levels, 'dp');
    passesDone++;
  }

  const chosen = best!;
  return {
    powerW: Array.from(chosen.levels, (l) => c.powerW[l]!),
    objectiveEur: chosen.objective,
    source: chosen.source,
    passesDone,
    timedOut: passesDone < passes.length,
  };
}

/**
 * The device planner: the least-cost power plan under the problem's objective (plan-cost.ts), by
 * backward-induction DP over temperature grids, coarse to fine (grid-dp.ts), each pass followed by an exact
 * forward simulation.
 *
 * The answer is the cheapest, on the exact objective, of the DP's plan, the thermostat baseline and the
 * caller's fallback plan, so it is never worse than either. Past the time budget it returns the best plan
 * found so far — at worst the fallback or the baseline. Every power is a level (or 0 W) within the step's
 * cap; the cost is evaluatePlan's, without the DR adders.
 */
export function planOptimal(problem: PlanningProblem, options: PlanOptimalOptions = {}): OptimalPlan {
  const clock = deadline(options.timer ?? defaultTimer, options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const { powerW, source, passesDone, timedOut } = solvePlan(problem, options, clock);
  const { predictedTempC, cost } = evaluatePlan(problem, powerW);
  return { powerW, predictedTempC, cost, solveMs: clock.elapsed(), source, passesDone, timedOut };
}
