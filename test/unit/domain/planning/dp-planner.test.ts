import { describe, expect, it } from 'vitest';
import { countSwitches, evaluatePlan } from '../../../../functions/domain/accounting/plan-cost.ts';
import { planOptimal } from '../../../../functions/domain/planning/dp-planner.ts';
import { isLevelPower } from '../../../../functions/domain/planning/power-levels.ts';
import { planThermostat } from '../../../../functions/domain/planning/thermostat-policy.ts';
import { simulateRoom } from '../../../../functions/domain/thermal/room-model.ts';
import { MAX_CAP_W, PlanningProblem } from '../../../../schemas/planning-problem.ts';
import { solveReference } from '../../../support/highs-reference.ts';
import { planningInstances } from '../../../support/planning-instances.ts';

const STEPS = 192;
const series = (n: number, f: (k: number) => number) => Array.from({ length: n }, (_, k) => f(k));

/** A small synthetic problem: a 2 kW heater with a boost level, evening-peak prices, a 20–23 °C band. */
function problem(over: Partial<PlanningProblem> = {}, steps = STEPS): PlanningProblem {
  const hour = (k: number) => (k * 0.25) % 24;
  return PlanningProblem.parse({
    start: '2023-01-16T23:00:00Z',
    stepMinutes: 15,
    initialTempC: 19,
    room: { uaWPerK: 60, capacityKWhPerK: 2 },
    otherHeatW: 200,
    outdoorC: series(steps, (k) => -2 + 3 * Math.sin((2 * Math.PI * (hour(k) - 10)) / 24)),
    priceEurPerKWh: series(steps, (k) => (hour(k) >= 17 && hour(k) < 20 ? 0.32 : hour(k) >= 7 && hour(k) < 17 ? 0.18 : 0.11)),
    computeRevenueEurPerKWh: 0.07,
    levels: [
      { powerW: 400, computeW: 400 },
      { powerW: 800, computeW: 800 },
      { powerW: 1200, computeW: 1200 },
      { powerW: 2000, computeW: 1200 },
    ],
    comfort: { minC: series(steps, () => 20), maxC: series(steps, () => 23) },
    capW: null,
    penalty: { belowEurPerKh: 1, aboveEurPerKh: 0.2 },
    ...over,
  });
}

describe('DP device planner', () => {
  it('comes within 0.5 % of the bill (and 0.005 EUR) of the exact HiGHS MILP on short horizons', async () => {
    const cases = [
      ...planningInstances({ count: 3, seed: 11, steps: 32 }),
      ...planningInstances({ count: 3, seed: 11, steps: 48, extras: true }),
      ...planningInstances({ count: 2, seed: 12, steps: 32, extras: true }),
    ];
    for (const p of cases) {
      const milp = await solveReference(p, 'milp', { timeLimitS: 10, incremental: true });
      const plan = planOptimal(p);
      const bill = evaluatePlan(p, milp.powerW!).cost.energyEur;
      const gap = plan.cost.objectiveEur - milp.objectiveEur;
      expect(gap, `${milp.status}, bill ${bill}`).toBeLessThanOrEqual(Math.min(0.005, 0.005 * bill) + 1e-9);
      // The MILP is a lower bound only when proven; the DP cannot beat a proven optimum.
      if (milp.optimal) expect(plan.cost.objectiveEur).toBeGreaterThanOrEqual(milp.boundEur - 1e-6);
    }
  });

  it('is never worse than the thermostat baseline on the model objective', () => {
    for (const p of [...planningInstances({ count: 6, seed: 5 }), ...planningInstances({ count: 6, seed: 6, extras: true }), problem()]) {
      const plan = planOptimal(p);
      const baseline = planThermostat(p);
      expect(plan.cost.objectiveEur).toBeLessThanOrEqual(baseline.cost.objectiveEur + 1e-12);
    }
    // …and on a realistic winter problem, by a wide margin.
    expect(planOptimal(problem()).cost.objectiveEur).toBeLessThan(planThermostat(problem()).cost.objectiveEur - 0.5);
  });

  it('answers level powers within each step cap, the exact trajectory and evaluatePlan cost', () => {
    const capW = series(STEPS, (k) => (k < 64 ? 1200 : k < 96 ? 300 : k < 128 ? 0 : 5000));
    const p = problem({ capW });
    const plan = planOptimal(p);
    expect(plan.powerW).toHaveLength(STEPS);
    plan.powerW.forEach((w, k) => {
      expect(isLevelPower(p.levels, w), `step ${k}: ${w}`).toBe(true);
      expect(w).toBeLessThanOrEqual(capW[k]!);
    });
    expect(plan.predictedTempC).toEqual(simulateRoom(p, plan.powerW));
    expect(plan.cost).toEqual(evaluatePlan(p, plan.powerW).cost);
    expect(plan.powerW.slice(64, 128).every((w) => w === 0)).toBe(true);
    expect(plan.powerW.slice(128).some((w) => w > 1200)).toBe(true);
  });

  it('has objective = energy − revenue + penalty when the optional terms are 0', () => {
    const plan = planOptimal(problem());
    const { energyEur, revenueEur, penaltyEur, objectiveEur } = plan.cost;
    expect(objectiveEur).toBeCloseTo(energyEur - revenueEur + penaltyEur, 12);
  });

  it('still plans when the band cannot be met (soft comfort, never "infeasible")', () => {
    const unreachable = planOptimal(problem({ comfort: { minC: series(STEPS, () => 35), maxC: series(STEPS, () => 36) } }));
    expect(unreachable.powerW.filter((w) => w === 2000).length).toBeGreaterThan(STEPS * 0.95);
    expect(Number.isFinite(unreachable.cost.objectiveEur)).toBe(true);
    const inverted = planOptimal(problem({ comfort: { minC: series(STEPS, () => 22), maxC: series(STEPS, () => 20) } }));
    expect(inverted.cost.penaltyEur).toBeGreaterThan(0);
    expect(inverted.powerW).toHaveLength(STEPS);
    const tiny = planOptimal(problem({}, 1));
    expect(tiny.powerW).toHaveLength(1);
  });

  it('decides with DR price adders but reports costs without them', () => {
    const base = problem();
    // 02:00–05:00, cheap night hours the unconstrained plan heats in.
    const window = (k: number) => k >= 8 && k < 20;
    const adder = series(STEPS, (k) => (window(k) ? 1 : 0));
    const free = planOptimal(base);
    const shed = planOptimal(base, { priceAdderEurPerKWh: adder });
    const windowKWh = (w: number[]) => w.reduce((s, p, k) => s + (window(k) ? p / 4000 : 0), 0);
    expect(windowKWh(free.powerW)).toBeGreaterThan(0);
    expect(windowKWh(shed.powerW)).toBeLessThan(windowKWh(free.powerW));
    expect(shed.cost).toEqual(evaluatePlan(base, shed.powerW).cost);
  });

  it('switches less with a switching penalty and keeps more heat with a terminal value', () => {
    const plain = planOptimal(problem());
    const damped = planOptimal(problem({ switchPenaltyEur: 0.01 }));
    expect(countSwitches(damped.powerW)).toBeLessThan(countSwitches(plain.powerW));
    const stored = planOptimal(problem({ terminalValueEurPerK: 2 }));
    expect(stored.predictedTempC[STEPS]!).toBeGreaterThan(plain.predictedTempC[STEPS]! + 0.2);
  });

  it('returns the last good plan when the time budget runs out, and the baseline without one', () => {
    const p = problem();
    let now = 0;
    const timer = () => (now += 100);
    // The previous solve's plan: better than the baseline, so it is what a cut-short solve answers.
    const fallbackPowerW = planOptimal(p).powerW;
    const withFallback = planOptimal(p, { timeBudgetMs: 50, timer, fallbackPowerW });
    expect(withFallback.timedOut).toBe(true);
    expect(withFallback.passesDone).toBe(0);
    expect(withFallback.source).toBe('fallback');
    expect(withFallback.powerW).toEqual(fallbackPowerW);
    const without = planOptimal(p, { timeBudgetMs: 50, timer });
    expect(without.source).toBe('thermostat');
    expect(without.powerW).toEqual(planThermostat(p).powerW);
    // A fallback that breaks the problem (wrong length, not a level) is ignored.
    expect(planOptimal(p, { timeBudgetMs: 50, timer, fallbackPowerW: [100] }).source).toBe('thermostat');
    // A worse fallback loses to the baseline; with time, the DP wins.
    const poor = series(STEPS, (k) => (k % 3 === 0 ? 800 : 0));
    expect(planOptimal(p, { timeBudgetMs: 50, timer, fallbackPowerW: poor }).source).toBe('thermostat');
    const untimed = planOptimal(p, { fallbackPowerW: poor });
    expect(untimed.timedOut).toBe(false);
    expect(untimed.source).toBe('dp');
  });
});

describe('DP device planner on random problems', () => {
  it('always answers levels within caps, scored by evaluatePlan, never worse than the baseline', async () => {
    const { seededRandom } = await import('../../../../local/fleet/seeded-random.ts');
    const random = seededRandom(2024);
    const between = (lo: number, hi: number) => lo + (hi - lo) * random();
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    for (let trial = 0; trial < 150; trial++) {
      const steps = pick([1, 2, 7, 48, 96, 192, 300]);
      const stepMinutes = pick([5, 15, 30, 60]);
      const levelCount = 1 + Math.floor(random() * 6);
      const levels = Array.from({ length: levelCount }, () => {
        const powerW = Math.round(between(50, 5000));
        return { powerW, computeW: Math.round(powerW * pick([0, 0.5, 1])) };
      });
      const minC = series(steps, () => between(5, 25));
      const p = PlanningProblem.parse({
        start: '2023-01-01T00:00:00Z',
        stepMinutes,
        initialTempC: between(-10, 40),
        room: { uaWPerK: pick([5, 40, 300, 2000]), capacityKWhPerK: pick([0.1, 1, 3, 100]) },
        otherHeatW: random() < 0.5 ? between(0, 500) : series(steps, () => between(-200, 800)),
        outdoorC: series(steps, () => between(-30, 35)),
        priceEurPerKWh: series(steps, () => between(-0.5, 3)),
        computeRevenueEurPerKWh: random() < 0.5 ? between(0, 0.5) : series(steps, () => between(0, 1)),
        levels,
        comfort: { minC, maxC: minC.map((m) => m + between(-2, 6)) },
        capW: random() < 0.4 ? series(steps, () => pick([0, 300, 1000, MAX_CAP_W])) : null,
        penalty: { belowEurPerKh: pick([0, 0.1, 1, 10]), aboveEurPerKh: pick([0, 0.2, 5]) },
        ...(random() < 0.5 ? { switchPenaltyEur: pick([0, 0.002, 0.1]), terminalValueEurPerK: between(-1, 1) } : {}),
      });
      const plan = planOptimal(p);
      const label = `trial ${trial}`;
      expect(plan.powerW, label).toHaveLength(steps);
      plan.powerW.forEach((w, k) => {
        expect(isLevelPower(p.levels, w), label).toBe(true);
        expect(w, label).toBeLessThanOrEqual(p.capW ? p.capW[k]! : Infinity);
      });
      expect(plan.cost, label).toEqual(evaluatePlan(p, plan.powerW).cost);
      expect(plan.cost.objectiveEur, label).toBeLessThanOrEqual(planThermostat(p).cost.objectiveEur + 1e-9);
    }
  });
});
