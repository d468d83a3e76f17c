import { describe, expect, it } from 'vitest';
import { dispatchFleet, returnDelays, type DispatchDevice } from '../../../../functions/domain/dr-dispatch/dispatch-fleet.ts';
import { baselineResponses } from '../../../../functions/domain/fleet-dr/allocate-fleet-dr.ts';
import { fleetLoad } from '../../../../functions/domain/fleet-dr/dr-request.ts';
import type { DrDirective } from '../../../../functions/domain/grid/dr-directives.ts';
import { withProductionObjective } from '../../../../functions/domain/planning/production-objective.ts';
import { planningInstances } from '../../../support/planning-instances.ts';

/** 30 heaters on three feeders, horizon from local midnight; an evening event 17:00–19:00 local (steps 68–76). */
const START = new Date('2023-01-16T23:00:00Z');
const problems = planningInstances({ count: 30, seed: 4, extras: true, start: START }).map(withProductionObjective);
const devices: DispatchDevice[] = problems.map((problem, i) => ({ deviceId: `heater-${i}`, feederId: `F${i % 3}`, problem }));
const at = (step: number) => new Date(START.getTime() + step * 15 * 60_000);
const FROM = 68;
const TO = 76;
const baselineLoad = fleetLoad(baselineResponses(problems), 192);
const windowPeak = Math.max(...baselineLoad.slice(FROM, TO));
const options = { gridEventId: 'evt-1', restoreMinutes: 60, maxExtraColdKh: 0.25 };

describe('dispatchFleet', () => {
  it('holds the group under a capacity limit, pre-heating before the window, within each household’s comfort allowance', () => {
    const capKW = (0.5 * windowPeak) / 1000;
    const directives: DrDirective[] = [{ start: at(FROM), end: at(TO), capKW }];
    const result = dispatchFleet(devices, directives, options);
    expect(result.window).toEqual({ fromStep: FROM, toStep: TO });
    for (let t = FROM; t < TO; t++) expect(result.fleetLoadW[t]!).toBeLessThanOrEqual(capKW * 1000 * 1.01);
    expect(result.fleetLoadW).toEqual(fleetLoad(result.plans, 192));
    // Pre-heat: the fleet draws more in the two hours before the window than it would have.
    const before = (load: readonly number[]) => load.slice(FROM - 8, FROM).reduce((s, w) => s + w, 0);
    expect(before(result.fleetLoadW)).toBeGreaterThan(before(result.baselineLoadW));
    const base = baselineResponses(problems);
    result.plans.forEach((plan, i) => {
      const cold = respondCold(i, plan.powerW);
      expect(cold - base[i]!.coldKh, plan.deviceId).toBeLessThanOrEqual(options.maxExtraColdKh + 1e-9);
    });
  });

  it('brings the fleet back staggered per feeder, with a lower return peak than all at once', () => {
    const directives: DrDirective[] = [{ start: at(FROM), end: at(TO), shedFraction: 1 }];
    const result = dispatchFleet(devices, directives, options);
    for (let t = FROM; t < TO; t++) expect(result.fleetLoadW[t]!).toBeLessThanOrEqual(1);
    expect(result.returnStepUpW).toBeLessThan(0.5 * result.unstaggeredReturnStepUpW);
    expect(result.reboundW).toBeLessThanOrEqual(result.unstaggeredReturnStepUpW);
    const waits = new Set(result.plans.map((p) => p.restoreDelaySteps));
    expect(waits.size).toBeGreaterThan(2);
  });

  it('spreads each feeder’s returns over the whole return period, the same on every replan', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ deviceId: `d-${i}`, feederId: `F${i % 3}` }));
    const delays = returnDelays(many, 'evt-9', 4);
    expect(returnDelays(many, 'evt-9', 4)).toEqual(delays);
    for (const feeder of ['F0', 'F1', 'F2']) {
      const counts = [0, 0, 0, 0, 0];
      many.forEach((d, i) => d.feederId === feeder && counts[delays[i]!]!++);
      // 100 devices over 5 slots: 20 each, give or take the jitter at slot edges.
      counts.forEach((c) => expect(c).toBeGreaterThanOrEqual(18));
    }
    expect(returnDelays(many, 'evt-9', 0).every((d) => d === 0)).toBe(true);
  });

  it('turns PRICE signals into a price adder and leaves devices their own plans when nothing is capped', () => {
    const directives: DrDirective[] = [{ start: at(FROM), end: at(TO), priceAdderPerKWh: 5 }];
    const result = dispatchFleet(devices, directives, options);
    expect(result.window).toBeUndefined();
    const windowDraw = result.fleetLoadW.slice(FROM, TO).reduce((s, w) => s + w, 0);
    expect(windowDraw).toBeLessThan(baselineLoad.slice(FROM, TO).reduce((s, w) => s + w, 0));
  });

  it('ignores directives outside the horizon and refuses an empty group', () => {
    const late: DrDirective[] = [{ start: at(400), end: at(410), capKW: 0 }];
    expect(dispatchFleet(devices.slice(0, 3), late, options).window).toBeUndefined();
    expect(() => dispatchFleet([], late, options)).toThrow(/at least one device/);
  });
});

import { simulateRoom } from '../../../../functions/domain/thermal/room-model.ts';
import { discomfortKh } from '../../../../functions/domain/accounting/plan-cost.ts';

function respondCold(i: number, powerW: readonly number[]): number {
  const p = problems[i]!;
  return discomfortKh(simulateRoom(p, [...powerW]), p.comfort.minC, p.comfort.maxC, p.stepMinutes / 60).belowKh;
}
