import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../functions/domain/accounting/plan-cost.ts';
import { coarsenInTime, compileProblem, objectiveOfLevels } from '../../../../functions/domain/planning/compiled-problem.ts';
import { thermostatLevels } from '../../../../functions/domain/planning/compiled-thermostat.ts';
import { planThermostat } from '../../../../functions/domain/planning/thermostat-policy.ts';
import { planningInstances } from '../../../support/planning-instances.ts';

describe('compiled planning problem', () => {
  const problems = [...planningInstances({ count: 4, seed: 21 }), ...planningInstances({ count: 4, seed: 22, extras: true })];

  it('scores a plan exactly as evaluatePlan does', () => {
    for (const p of problems) {
      const c = compileProblem(p);
      const levels = Array.from({ length: c.steps }, (_, k) => (k * 7) % c.levelCount);
      const powerW = levels.map((l) => c.powerW[l]!);
      expect(objectiveOfLevels(c, levels)).toBeCloseTo(evaluatePlan(p, powerW).cost.objectiveEur, 10);
    }
  });

  it('runs the thermostat baseline exactly as planThermostat does', () => {
    for (const p of problems) {
      const c = compileProblem(p);
      expect(Array.from(thermostatLevels(c), (l) => c.powerW[l]!)).toEqual(planThermostat(p).powerW);
    }
  });

  it('groups steps into blocks with the exact block dynamics and summed costs', () => {
    const c = compileProblem(problems[0]!);
    const hourly = coarsenInTime(c, 4);
    expect(hourly.steps).toBe(c.steps / 4);
    const level = c.levelCount - 1;
    let t = 18;
    for (let k = 0; k < 4; k++) t = c.a * t + c.drift[8 + k]! + c.rise[level]!;
    expect(hourly.a * 18 + hourly.drift[2]! + hourly.rise[level]!).toBeCloseTo(t, 12);
    const stage = [0, 1, 2, 3].reduce((s, j) => s + c.stageEur[(8 + j) * c.levelCount + level]!, 0);
    expect(hourly.stageEur[2 * c.levelCount + level]).toBeCloseTo(stage, 12);
    expect(() => coarsenInTime(c, 5)).toThrow(/cannot group/);
  });
});
