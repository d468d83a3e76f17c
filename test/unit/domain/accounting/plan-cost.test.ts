import { describe, expect, it } from 'vitest';
import { countSwitches, discomfortKh, evaluatePlan } from '../../../../functions/domain/accounting/plan-cost.ts';
import { PlanningProblem } from '../../../../schemas/planning-problem.ts';

/**
 * One-hour steps with UA = 0.1 kW/K and C = 0.1/ln 2 kWh/K, so a = exp(−ln 2) = 1/2 and b = (1 − a)/UA = 5 K/kW:
 * T[t+1] = T[t]/2 + 5·P[t] (kW) at 0 °C outdoors and no other heat.
 */
const handProblem = (over: Partial<PlanningProblem> = {}): PlanningProblem =>
  PlanningProblem.parse({
    start: '2023-01-10T00:00:00Z',
    stepMinutes: 60,
    initialTempC: 20,
    room: { uaWPerK: 100, capacityKWhPerK: 0.1 / Math.LN2 },
    otherHeatW: 0,
    outdoorC: [0, 0, 0],
    priceEurPerKWh: [0.2, 0.3, 0.1],
    computeRevenueEurPerKWh: 0.05,
    levels: [
      { powerW: 500, computeW: 400 },
      { powerW: 1000, computeW: 900 },
    ],
    comfort: { minC: [18, 10, 5], maxC: [22, 14, 6] },
    capW: null,
    penalty: { belowEurPerKh: 1, aboveEurPerKh: 0.4 },
    ...over,
  });

describe('evaluatePlan', () => {
  it('scores a hand-computed three-step plan', () => {
    const { predictedTempC, cost, adjustments } = evaluatePlan(handProblem(), [1000, 0, 500]);
    // T: 20 → 10 + 5 = 15 → 7.5 → 3.75 + 2.5 = 6.25
    [20, 15, 7.5, 6.25].forEach((tempC, t) => expect(predictedTempC[t]).toBeCloseTo(tempC, 12));
    // energy: 1 kWh · 0.2 + 0 + 0.5 kWh · 0.1
    expect(cost.energyEur).toBeCloseTo(0.25, 12);
    // revenue: (0.9 + 0 + 0.4) kWh of compute · 0.05
    expect(cost.revenueEur).toBeCloseTo(0.065, 12);
    // below: (18 − 15) + (10 − 7.5) = 5.5 K·h at 1 €; above: 6.25 − 6 = 0.25 K·h at 0.4 €
    expect(cost.penaltyEur).toBeCloseTo(5.6, 12);
    expect(cost.objectiveEur).toBeCloseTo(5.785, 12);
    expect(adjustments).toEqual({ switchingEur: 0, storedHeatEur: 0 });
  });

  it('adds the switching penalty per level change and subtracts the value of heat stored at the end', () => {
    const { cost, adjustments } = evaluatePlan(handProblem({ switchPenaltyEur: 0.01, terminalValueEurPerK: 0.5 }), [1000, 0, 500]);
    expect(adjustments.switchingEur).toBeCloseTo(0.02, 12);
    // the room ends 13.75 K colder than it started: −0.5 · (6.25 − 20)
    expect(adjustments.storedHeatEur).toBeCloseTo(-6.875, 12);
    expect(cost.objectiveEur).toBeCloseTo(5.785 + 0.02 + 6.875, 12);
  });

  it('has objective = energy − revenue + penalty exactly when the optional terms are absent or 0', () => {
    const powers = [750, 1000, 250];
    for (const over of [{}, { switchPenaltyEur: 0, terminalValueEurPerK: 0 }]) {
      const { cost } = evaluatePlan(handProblem({ ...over, computeRevenueEurPerKWh: [0.07, 0.02, 0.11] }), powers);
      expect(cost.objectiveEur).toBe(cost.energyEur - cost.revenueEur + cost.penaltyEur);
    }
  });

  it('interpolates compute power between levels for powers that are not a level', () => {
    // 750 W → 650 W compute, 250 W (between off and 500 W) → 200 W: 0.85 kWh · 0.05
    expect(evaluatePlan(handProblem(), [750, 0, 250]).cost.revenueEur).toBeCloseTo(0.0425, 12);
  });

  it('refuses a plan of the wrong length', () => {
    expect(() => evaluatePlan(handProblem(), [0, 0])).toThrow(/2 steps; the problem has 3/);
  });
});

describe('discomfortKh and countSwitches', () => {
  it('counts the band against the temperature at the end of each step', () => {
    expect(discomfortKh([0, 19, 24, 21], [20, 20, 20], [23, 23, 23], 0.25)).toEqual({ belowKh: 0.25, aboveKh: 0.25 });
  });

  it('counts changes between consecutive steps only', () => {
    expect(countSwitches([0, 0, 500, 500, 0])).toBe(2);
    expect(countSwitches([])).toBe(0);
  });
});
