import { describe, expect, it } from 'vitest';
import { discomfortKh, evaluatePlan } from '../../../../functions/domain/accounting/plan-cost.ts';
import { resolveComfortBand } from '../../../../functions/domain/comfort/comfort-band.ts';
import { isLevelPower } from '../../../../functions/domain/planning/power-levels.ts';
import { HYSTERESIS_K, SETPOINT_SHARE, planThermostat } from '../../../../functions/domain/planning/thermostat-policy.ts';
import { simulateRoom } from '../../../../functions/domain/thermal/room-model.ts';
import { PlanningProblem } from '../../../../schemas/planning-problem.ts';

const STEPS = 192;
/** Local midnight in Copenhagen on a January night. */
const START = new Date('2023-01-16T23:00:00Z');
const localHour = (t: number) => (t * 0.25) % 24;

/**
 * A leaky Danish room in January: UA 60 W/K and C 2 kWh/K (a 33 h time constant), 200 W from people and
 * appliances, −2 °C ± 3 K outdoors with the coldest hour near 04:00, a 2 kW heater with two lower levels,
 * evening-peak spot prices, and a schedule of 20–23 °C from 06:30 and 17–21 °C from 22:30.
 */
function winterProblem(over: Partial<PlanningProblem> = {}): PlanningProblem {
  const comfort = resolveComfortBand({
    schedule: [
      { from: '06:30', minC: 20, maxC: 23 },
      { from: '22:30', minC: 17, maxC: 21 },
    ],
    timezone: 'Europe/Copenhagen',
    start: START,
    steps: STEPS,
    stepMinutes: 15,
  });
  const series = (f: (hour: number) => number) => Array.from({ length: STEPS }, (_, t) => f(localHour(t)));
  return PlanningProblem.parse({
    start: START.toISOString(),
    stepMinutes: 15,
    initialTempC: 15,
    room: { uaWPerK: 60, capacityKWhPerK: 2 },
    otherHeatW: 200,
    outdoorC: series((h) => -2 + 3 * Math.sin((2 * Math.PI * (h - 10)) / 24)),
    priceEurPerKWh: series((h) => (h >= 17 && h < 20 ? 0.32 : h >= 7 && h < 17 ? 0.18 : 0.11)),
    computeRevenueEurPerKWh: 0.06,
    levels: [
      { powerW: 500, computeW: 470 },
      { powerW: 1000, computeW: 950 },
      { powerW: 2000, computeW: 1900 },
    ],
    comfort,
    capW: null,
    penalty: { belowEurPerKh: 1, aboveEurPerKh: 0.2 },
    ...over,
  });
}

describe('thermostat baseline planner', () => {
  it('follows its documented hysteresis rule step by step', () => {
    const problem = winterProblem();
    const { powerW, predictedTempC } = planThermostat(problem);
    let heating = false;
    powerW.forEach((p, t) => {
      const minC = problem.comfort.minC[t]!;
      const setpointC = minC + SETPOINT_SHARE * (problem.comfort.maxC[t]! - minC);
      const tempC = predictedTempC[t]!;
      if (tempC < setpointC - HYSTERESIS_K) heating = true;
      else if (tempC > setpointC + HYSTERESIS_K) heating = false;
      expect(p, `step ${t}`).toBe(heating ? 2000 : 0);
    });
  });

  it('warms a cold room and then keeps it in the band over 48 h', () => {
    const problem = winterProblem();
    const { powerW, predictedTempC } = planThermostat(problem);
    const { minC, maxC } = problem.comfort;
    const bandSteadyFor = (t: number, steps: number) =>
      t >= steps && Array.from({ length: steps }, (_, k) => t - k).every((s) => minC[s] === minC[t] && maxC[s] === maxC[t]);
    const warmAfter = 12 * 4;
    let checked = 0;
    for (let t = warmAfter; t < STEPS; t++) {
      if (!bandSteadyFor(t, 6 * 4)) continue;
      checked++;
      expect(predictedTempC[t + 1], `end of step ${t}`).toBeGreaterThanOrEqual(minC[t]! - 0.1);
      expect(predictedTempC[t + 1], `end of step ${t}`).toBeLessThanOrEqual(maxC[t]! + 0.1);
    }
    expect(checked).toBeGreaterThan(80);
    expect(Math.max(...predictedTempC)).toBeLessThan(22);

    const off = discomfortKh(simulateRoom(problem, Array<number>(STEPS).fill(0)), minC, maxC, 0.25);
    const thermostat = discomfortKh(predictedTempC, minC, maxC, 0.25);
    expect(thermostat.belowKh).toBeLessThan(off.belowKh / 10);
    expect(powerW.some((p) => p > 0)).toBe(true);
  });

  it('answers only level powers, the simulated temperatures and the plan evaluation', () => {
    const problem = winterProblem();
    const result = planThermostat(problem);
    expect(result.powerW).toHaveLength(STEPS);
    expect(result.powerW.every((p) => isLevelPower(problem.levels, p))).toBe(true);
    expect(result.predictedTempC).toEqual(simulateRoom(problem, result.powerW));
    expect(result.cost).toEqual(evaluatePlan(problem, result.powerW).cost);
  });

  it('heats at the highest level each step cap allows', () => {
    const capW = Array.from({ length: STEPS }, (_, t) => (t < 96 ? 1200 : t < 144 ? 300 : 5000));
    const problem = winterProblem({ capW });
    const { powerW } = planThermostat(problem);
    powerW.forEach((p, t) => expect(p).toBeLessThanOrEqual(capW[t]!));
    expect(powerW.slice(0, 96).every((p) => p === 0 || p === 1000)).toBe(true);
    expect(powerW.slice(0, 96)).toContain(1000);
    expect(powerW.slice(96, 144).every((p) => p === 0)).toBe(true);
    expect(powerW.slice(144).every((p) => p === 0 || p === 2000)).toBe(true);
    expect(powerW.slice(144)).toContain(2000);
    expect(powerW.every((p) => isLevelPower(problem.levels, p))).toBe(true);
  });

  it('measures solveMs with the timer it is given', () => {
    const readings = [10, 25.5];
    expect(planThermostat(winterProblem(), () => readings.shift()!).solveMs).toBe(15.5);
  });
});
