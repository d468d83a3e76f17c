import { evaluatePlan } from '../../functions/domain/accounting/plan-cost.ts';
import { planOptimal } from '../../functions/domain/planning/dp-planner.ts';
import { solveReference } from '../../test/support/highs-reference.ts';
import { planningInstances } from '../../test/support/planning-instances.ts';
import type { BenchSection } from '../section.ts';

/**
 * The device planner on realistic 48 h / 15-minute instances (fleet-generator rooms and schedules, real DK2
 * prices and Malmö temperatures, 4 levels + off, with the production switching penalty and stored-heat value),
 * against HiGHS on the same instances in the same run:
 * - speed: planOptimal per solve (p50/p99 over REPEATS solves of every instance; `p50MsWithoutSwitchingPenalty`
 *   the same instances with that term off, when the DP's state is the temperature alone), and the HiGHS LP
 *   relaxation (levels as a convex combination), model hand-over and solve, median of 3 per instance;
 * - accuracy: the exact MILP (binary level choice) with a time limit. `gapPctOfBill` = (DP − MILP objective)
 *   ÷ the device's electricity bill (energy cost of the MILP plan) over the 48 h; negative where the DP beat an
 *   incumbent HiGHS could not prove. `gapVsBoundEurMax` bounds the DP's true gap from above with the MILP's
 *   proven lower bound.
 */
const INSTANCES = 24;
const REPEATS = 40;
const MILP_TIME_LIMIT_S = Number(process.env.HEARTH_BENCH_MILP_S ?? 10);

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const round = (x: number, digits: number) => Number(x.toFixed(digits));

export const section: BenchSection = {
  name: 'planner',
  description: `DP device planner vs HiGHS LP and MILP: ${INSTANCES} instances of 48 h × 15 min, MILP limit ${MILP_TIME_LIMIT_S} s`,
  async run(log) {
    const problems = planningInstances({ count: INSTANCES, seed: 3, extras: true });
    for (let w = 0; w < 5; w++) for (const p of problems) planOptimal(p);

    const solveMs: number[] = [];
    const lpMs: number[] = [];
    const gapPct: number[] = [];
    const gapEur: number[] = [];
    const gapVsBoundEur: number[] = [];
    const milpSeconds: number[] = [];
    let unproven = 0;
    let i = 0;
    for (const problem of problems) {
      const own: number[] = [];
      let plan = planOptimal(problem);
      for (let r = 0; r < REPEATS; r++) {
        const started = performance.now();
        plan = planOptimal(problem);
        own.push(performance.now() - started);
      }
      solveMs.push(...own);
      const lp: number[] = [];
      for (let r = 0; r < 3; r++) lp.push((await solveReference(problem, 'lp')).ms);
      lpMs.push(median(lp));
      const milp = await solveReference(problem, 'milp', { timeLimitS: MILP_TIME_LIMIT_S, incremental: true });
      milpSeconds.push(milp.ms / 1000);
      if (!milp.optimal) unproven++;
      const bill = evaluatePlan(problem, milp.powerW!).cost.energyEur;
      const gap = plan.cost.objectiveEur - milp.objectiveEur;
      gapEur.push(gap);
      gapPct.push((100 * gap) / bill);
      gapVsBoundEur.push(plan.cost.objectiveEur - milp.boundEur);
      log(
        `#${++i} dp ${median(own).toFixed(3)} ms, lp ${median(lp).toFixed(1)} ms, milp ${milp.status} in ${(milp.ms / 1000).toFixed(1)} s; ` +
          `gap ${gap.toFixed(5)} EUR (${((100 * gap) / bill).toFixed(4)} % of ${bill.toFixed(2)} EUR), vs bound ${(plan.cost.objectiveEur - milp.boundEur).toFixed(5)} EUR`,
      );
    }
    // The same instances without the switching penalty: the state is then the temperature alone.
    const plainMs: number[] = [];
    for (const problem of problems) {
      const plain = { ...problem, switchPenaltyEur: 0 };
      planOptimal(plain);
      for (let r = 0; r < REPEATS; r++) {
        const started = performance.now();
        planOptimal(plain);
        plainMs.push(performance.now() - started);
      }
    }
    const p50 = median(solveMs);
    const meanMs = solveMs.reduce((s, x) => s + x, 0) / solveMs.length;
    const lpP50 = median(lpMs);
    return {
      instances: INSTANCES,
      steps: 192,
      p50Ms: round(p50, 3),
      p99Ms: round(quantile(solveMs, 0.99), 3),
      p50MsWithoutSwitchingPenalty: round(median(plainMs), 3),
      devicesPerSecPerCore: Math.round(1000 / meanMs),
      highsLpP50Ms: round(lpP50, 2),
      speedupVsHighsLp: round(lpP50 / p50, 1),
      gapPctOfBillMedian: round(median(gapPct), 4),
      gapPctOfBillMax: round(Math.max(...gapPct), 4),
      gapEurMax: round(Math.max(...gapEur), 5),
      gapVsBoundEurMax: round(Math.max(...gapVsBoundEur), 5),
      milpTimeLimitS: MILP_TIME_LIMIT_S,
      milpMedianS: round(median(milpSeconds), 2),
      milpUnproven: unproven,
    };
  },
};
