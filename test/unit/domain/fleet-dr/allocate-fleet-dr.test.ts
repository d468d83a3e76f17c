import { describe, expect, it } from 'vitest';
import { allocateFleetDr, baselineResponses } from '../../../../functions/domain/fleet-dr/allocate-fleet-dr.ts';
import { fleetLoad } from '../../../../functions/domain/fleet-dr/dr-request.ts';
import { naiveShed } from '../../../../functions/domain/fleet-dr/naive-shed.ts';
import { isLevelPower } from '../../../../functions/domain/planning/power-levels.ts';
import { planningInstances } from '../../../support/planning-instances.ts';

/** 40 heaters sharing a 48 h horizon from local midnight; the event is 07:00–10:00, when the fleet heats. */
const problems = planningInstances({ count: 40, seed: 9, extras: true, start: new Date('2023-01-16T23:00:00Z') });
const baseline = baselineResponses(problems);
const FROM = 28;
const TO = 40;
const baselineLoad = fleetLoad(baseline, 192);
const peakW = Math.max(...baselineLoad.slice(FROM, TO));

describe('fleet DR allocation', () => {
  it('meets a fleet cap within tolerance, cheaper than switching whole devices off', () => {
    const request = { fromStep: FROM, toStep: TO, capW: 0.6 * peakW };
    const result = allocateFleetDr(problems, request, { tolerancePct: 1 }, baseline);
    for (let t = FROM; t < TO; t++) expect(result.fleetLoadW[t]!).toBeLessThanOrEqual(request.capW * 1.01);
    expect(result.overshootPct).toBeLessThanOrEqual(1);
    expect(result.fleetLoadW).toEqual(fleetLoad(result.plans, 192));
    result.plans.forEach((plan, d) => expect(plan.powerW.every((w) => isLevelPower(problems[d]!.levels, w))).toBe(true));

    const naive = naiveShed(problems, request, baseline);
    for (let t = FROM; t < TO; t++) expect(naive.fleetLoadW[t]!).toBeLessThanOrEqual(request.capW);
    expect(naive.devicesOff.length).toBeGreaterThan(0);
    const extra = result.costEur - result.baselineCostEur;
    const naiveExtra = naive.costEur - result.baselineCostEur;
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThan(0.5 * naiveExtra);
  });

  it('meets a shed target measured from the fleet’s own plans', () => {
    const shedW = 0.3 * peakW;
    const result = allocateFleetDr(problems, { fromStep: FROM, toStep: TO, shedW }, {}, baseline);
    for (let t = FROM; t < TO; t++) expect(result.fleetLoadW[t]!).toBeLessThanOrEqual((baselineLoad[t]! - shedW) * 1.01);
    expect(result.baselineLoadW).toEqual(baselineLoad);
  });

  it('asks no household for more cold than the fairness guard allows', () => {
    const request = { fromStep: FROM, toStep: TO, capW: 0.25 * peakW };
    const maxExtraColdKh = 0.05;
    const result = allocateFleetDr(problems, request, { maxExtraColdKh }, baseline);
    result.plans.forEach((plan, d) => expect(plan.coldKh - baseline[d]!.coldKh, `device ${d}`).toBeLessThanOrEqual(maxExtraColdKh + 1e-9));
    expect(result.guardedDevices.length + result.repairedDevices.length).toBeGreaterThan(0);
  });

  it('changes nothing when the fleet already fits, and refuses a bad request', () => {
    const result = allocateFleetDr(problems, { fromStep: FROM, toStep: TO, capW: 2 * peakW }, {}, baseline);
    expect(result.adderEurPerKWh.every((l) => l === 0)).toBe(true);
    expect(result.costEur).toBeCloseTo(result.baselineCostEur, 9);
    expect(() => allocateFleetDr(problems, { fromStep: 10, toStep: 5, capW: 1 }, {}, baseline)).toThrow(/window/);
    expect(() => allocateFleetDr(problems, { fromStep: 0, toStep: 5 }, {}, baseline)).toThrow(/exactly one/);
    expect(() => allocateFleetDr([problems[0]!, planningInstances({ count: 1, seed: 2 })[0]!], { fromStep: 0, toStep: 5, capW: 1 })).toThrow(/plans/);
  });
});
