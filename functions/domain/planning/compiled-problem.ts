import type { PlanningProblem } from '../../../schemas/planning-problem.ts';
import { stepCoefficients } from '../thermal/room-model.ts';
import { computePowerW } from './power-levels.ts';
import { valueAtStep, type ConstantOrSeries } from './step-series.ts';

/**
 * A planning problem turned into flat numeric tables, once per solve, so the optimisers' inner loops do no
 * lookups, no unit conversion and no allocation. With levels sorted by power (off first), step k moves the
 * room as
 *   T[k+1] = a·T[k] + drift[k] + rise[l],   drift[k] = b·Q_other[k] + (1 − a)·T_out[k],   rise[l] = b·P[l]
 * (b in K per kW), which is the room model of room-model.ts written with everything that does not depend on
 * the decision folded into `drift`.
 */
export interface CompiledProblem {
  steps: number;
  stepHours: number;
  a: number;
  drift: Float64Array;
  /** Distinct level powers, ascending; index 0 is off (0 W), always allowed. */
  powerW: Float64Array;
  /** Temperature rise over one step from each level's power: b·P[l]. */
  rise: Float64Array;
  levelCount: number;
  /**
   * EUR of choosing level l in step k, at `k·levelCount + l`: energy at price (plus any DR adder) minus compute
   * revenue. Levels above the step's cap are never read (see `topLevel`).
   */
  stageEur: Float64Array;
  /** Highest level index the step's cap allows: allowed levels are 0 … topLevel[k]. */
  topLevel: Int32Array;
  minC: Float64Array;
  maxC: Float64Array;
  /** EUR per K of end-of-step temperature below minC / above maxC: penalty per K·h × step hours. */
  belowEurPerK: number;
  aboveEurPerK: number;
  switchEur: number;
  terminalEurPerK: number;
  initialTempC: number;
}

export interface CompileOptions {
  /** EUR/kWh added to the price of each step (DR price adders); same length as the problem. */
  priceAdderEurPerKWh?: readonly number[] | undefined;
}

/** Distinct level powers including off, ascending, with the compute share evaluatePlan credits at each. */
export function levelLadder(problem: Pick<PlanningProblem, 'levels'>): { powerW: number[]; computeW: number[] } {
  const powers = [0];
  for (const level of problem.levels) if (!powers.includes(level.powerW)) powers.push(level.powerW);
  powers.sort((x, y) => x - y);
  return { powerW: powers, computeW: powers.map((p) => computePowerW(problem.levels, p)) };
}

export function compileProblem(problem: PlanningProblem, options: CompileOptions = {}): CompiledProblem {
  const steps = problem.outdoorC.length;
  const stepHours = problem.stepMinutes / 60;
  const { a, b } = stepCoefficients(problem.room, stepHours);
  const ladder = levelLadder(problem);
  const levelCount = ladder.powerW.length;
  const adder = options.priceAdderEurPerKWh;
  if (adder && adder.length !== steps) throw new RangeError(`price adder has ${adder.length} steps; the problem has ${steps}`);

  const powers = Float64Array.from(ladder.powerW);
  const computes = Float64Array.from(ladder.computeW);
  const drift = new Float64Array(steps);
  const stageEur = new Float64Array(steps * levelCount);
  const topLevel = new Int32Array(steps);
  const other = seriesOf(problem.otherHeatW, steps);
  const revenue = seriesOf(problem.computeRevenueEurPerKWh, steps);
  const caps = problem.capW;
  const prices = problem.priceEurPerKWh;
  const outdoor = problem.outdoorC;
  for (let k = 0; k < steps; k++) {
    drift[k] = (b * other[k]!) / 1000 + (1 - a) * outdoor[k]!;
    const energyEurPerW = (stepHours * (prices[k]! + (adder ? adder[k]! : 0))) / 1000;
    const revenueEurPerW = (stepHours * revenue[k]!) / 1000;
    for (let l = 0; l < levelCount; l++) stageEur[k * levelCount + l] = powers[l]! * energyEurPerW - computes[l]! * revenueEurPerW;
    const cap = caps ? caps[k]! : Infinity;
    let top = 0;
    while (top + 1 < levelCount && powers[top + 1]! <= cap) top++;
    topLevel[k] = top;
  }
  return {
    steps,
    stepHours,
    a,
    drift,
    powerW: powers,
    rise: Float64Array.from(ladder.powerW, (p) => (b * p) / 1000),
    levelCount,
    stageEur,
    topLevel,
    minC: seriesOf(problem.comfort.minC, steps),
    maxC: seriesOf(problem.comfort.maxC, steps),
    belowEurPerK: problem.penalty.belowEurPerKh * stepHours,
    aboveEurPerK: problem.penalty.aboveEurPerKh * stepHours,
    switchEur: problem.switchPenaltyEur ?? 0,
    terminalEurPerK: problem.terminalValueEurPerK ?? 0,
    initialTempC: problem.initialTempC,
  };
}

/** A constant or per-step quantity (step-series.ts) as one value per step. */
function seriesOf(value: ConstantOrSeries, steps: number): Float64Array {
  const out = new Float64Array(steps);
  if (typeof value === 'number') out.fill(value);
  else for (let k = 0; k < steps; k++) out[k] = valueAtStep(value, k);
  return out;
}

/** Comfort penalty of ending step k at `tempC`. */
export function stepPenaltyEur(c: CompiledProblem, k: number, tempC: number): number {
  const below = c.minC[k]! - tempC;
  if (below > 0) return c.belowEurPerK * below;
  const above = tempC - c.maxC[k]!;
  return above > 0 ? c.aboveEurPerK * above : 0;
}

/**
 * The planner's own objective of a plan given as level indices: the same sum evaluatePlan computes (with
 * the DR adders included), in one allocation-free pass. Used to compare candidate plans; the plan finally
 * returned is always scored by evaluatePlan.
 */
export function objectiveOfLevels(c: CompiledProblem, levels: Int32Array | readonly number[]): number {
  let tempC = c.initialTempC;
  let total = 0;
  const L = c.levelCount;
  for (let k = 0; k < c.steps; k++) {
    const l = levels[k]!;
    total += c.stageEur[k * L + l]!;
    tempC = c.a * tempC + c.drift[k]! + c.rise[l]!;
    total += stepPenaltyEur(c, k, tempC);
    if (k > 0 && l !== levels[k - 1]) total += c.switchEur;
  }
  return total - c.terminalEurPerK * (tempC - c.initialTempC);
}

/** Level index of a power, or −1 when it is no level (or above the step's cap). */
export function levelIndexOf(c: CompiledProblem, k: number, powerW: number): number {
  for (let l = 0; l <= c.topLevel[k]!; l++) if (c.powerW[l] === powerW) return l;
  return -1;
}

/**
 * The problem seen in blocks of `factor` steps that hold one level each (an hourly view of 15-minute steps):
 * exact block dynamics (a^factor, the drifts and rises summed through the block), block costs summed, the
 * block's tightest cap, and the comfort penalty charged on the block's end temperature for every step of it.
 * Cheap to plan over, and close enough to find the corridor a finer pass then works in. `factor` must divide
 * the number of steps.
 */
export function coarsenInTime(c: CompiledProblem, factor: number): CompiledProblem {
  if (!Number.isInteger(factor) || factor < 1 || c.steps % factor !== 0) throw new RangeError(`cannot group ${c.steps} steps by ${factor}`);
  if (factor === 1) return c;
  const steps = c.steps / factor;
  const L = c.levelCount;
  const drift = new Float64Array(steps);
  const stageEur = new Float64Array(steps * L);
  const topLevel = new Int32Array(steps);
  const minC = new Float64Array(steps);
  const maxC = new Float64Array(steps);
  let riseFactor = 0;
  for (let j = 0; j < factor; j++) riseFactor = riseFactor * c.a + 1;
  for (let K = 0; K < steps; K++) {
    let d = 0;
    let top = L - 1;
    for (let j = 0; j < factor; j++) {
      const k = K * factor + j;
      d = d * c.a + c.drift[k]!;
      if (c.topLevel[k]! < top) top = c.topLevel[k]!;
      for (let l = 0; l < L; l++) stageEur[K * L + l] = stageEur[K * L + l]! + c.stageEur[k * L + l]!;
    }
    drift[K] = d;
    topLevel[K] = top;
    minC[K] = c.minC[K * factor + factor - 1]!;
    maxC[K] = c.maxC[K * factor + factor - 1]!;
  }
  return {
    ...c,
    steps,
    stepHours: c.stepHours * factor,
    a: c.a ** factor,
    drift,
    rise: c.rise.map((r) => r * riseFactor),
    stageEur,
    topLevel,
    minC,
    maxC,
    belowEurPerK: c.belowEurPerK * factor,
    aboveEurPerK: c.aboveEurPerK * factor,
  };
}
