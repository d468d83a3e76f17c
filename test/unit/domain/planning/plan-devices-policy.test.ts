import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../../functions/domain/accounting/plan-cost.ts';
import { deviceProblem } from '../../../../functions/domain/planning/device-problem.ts';
import { HORIZON_STEPS, POLICY, STEP_MINUTES, householdPrices, planDevices, shiftedPlan } from '../../../../functions/domain/planning/plan-devices.ts';
import { planThermostat } from '../../../../functions/domain/planning/thermostat-policy.ts';
import type { StoredPlan } from '../../../../functions/ports/stores.ts';
import { generateFleet } from '../../../../local/fleet/generate-fleet.ts';
import { memoryPlanningPorts } from '../../../support/memory-planning-ports.ts';

const NOW = new Date('2023-01-10T12:07:00Z');
const START = new Date('2023-01-10T12:00:00Z');
const hourOf = (k: number) => (START.getUTCHours() + 1 + k / 4) % 24;
const PRICES = Array.from({ length: HORIZON_STEPS }, (_, k) => (hourOf(k) >= 17 && hourOf(k) < 20 ? 0.35 : hourOf(k) < 6 ? 0.05 : 0.15));
const OUTDOOR = Array.from({ length: HORIZON_STEPS }, (_, k) => -1 + 3 * Math.sin((2 * Math.PI * (hourOf(k) - 9)) / 24));

const ports = (fleet: ReturnType<typeof generateFleet>) => memoryPlanningPorts(fleet, { prices: PRICES, outdoorC: OUTDOOR, now: NOW });

describe('plan-devices with the optimising planner', () => {
  const fleet = generateFleet(3, 4);
  const problemOf = (i: number) =>
    deviceProblem({ device: fleet[i]!.record, start: START, steps: HORIZON_STEPS, stepMinutes: STEP_MINUTES, initialTempC: fleet[i]!.initialRoomC, outdoorC: OUTDOOR, priceEurPerKWh: PRICES });

  it('stores DP plans that beat the thermostat baseline, and the baseline when asked for', async () => {
    const { ports: p, plans } = ports(fleet);
    const result = await planDevices({ reason: 'test' }, p);
    expect(result.failed).toEqual([]);
    expect(POLICY).toBe('hearth-dp');
    fleet.forEach((h, i) => {
      const stored = plans.get(h.record.deviceId)!.at(-1)!;
      expect(stored.policy).toBe('hearth-dp');
      const problem = problemOf(i);
      expect(evaluatePlan(problem, stored.plan.powerW).cost.objectiveEur).toBeLessThan(planThermostat(problem).cost.objectiveEur);
    });
    await planDevices({ reason: 'baseline' }, p, { policy: 'thermostat' });
    fleet.forEach((h, i) => {
      const stored = plans.get(h.record.deviceId)!.at(-1)!;
      expect(stored.policy).toBe('thermostat');
      expect(stored.plan.v).toBe(2);
      expect(stored.plan.powerW).toEqual(planThermostat(problemOf(i)).powerW);
    });
  });

  it('adds up what the stored plans cost, earn and leave uncomfortable, and what they draw first', async () => {
    const { ports: p, plans } = ports(fleet);
    const { totals } = await planDevices({ reason: 'hourly' }, p);
    const evaluations = fleet.map((h, i) => ({ powerW: plans.get(h.record.deviceId)!.at(-1)!.plan.powerW, evaluation: evaluatePlan(problemOf(i), plans.get(h.record.deviceId)!.at(-1)!.plan.powerW) }));
    const sum = (f: (e: (typeof evaluations)[number]) => number) => evaluations.reduce((s, e) => s + f(e), 0);
    expect(totals.energyCostEur).toBeCloseTo(sum((e) => e.evaluation.cost.energyEur), 9);
    expect(totals.computeRevenueEur).toBeCloseTo(sum((e) => e.evaluation.cost.revenueEur), 9);
    expect(totals.netCostEur).toBeCloseTo(totals.energyCostEur - totals.computeRevenueEur, 9);
    expect(totals.plannedKW).toBeCloseTo(sum((e) => e.powerW[0]! / 1000), 9);
    expect(totals.discomfortKh).toBeGreaterThanOrEqual(0);
    expect(totals.energyCostEur).toBeGreaterThan(0);
  });

  it('shifts the previous plan to now as the last good plan', () => {
    const previous = { deviceId: 'd', createdAt: '', reason: '', policy: POLICY, plan: { v: 1, start: '2023-01-10T11:00:00Z', stepS: 900, powerW: [1, 2, 3, 4, 5, 6], validUntil: '', fallback: { minC: 18, maxC: 21 } } } as StoredPlan;
    expect(shiftedPlan(previous, START, [9, 9, 9, 9])).toEqual([5, 6, 9, 9]);
    expect(shiftedPlan(previous, new Date('2023-01-10T12:05:00Z'), [9])).toBeUndefined();
    expect(shiftedPlan(undefined, START, [9])).toBeUndefined();
  });
});

describe('plan-devices with a household tariff', () => {
  it('plans against the all-in price where the device has a tariff, the spot price where not', () => {
    const [heater] = generateFleet(1, 9);
    const tariff = {
      currency: 'EUR',
      supplierMarginPerKWh: 0.01,
      gridFee: [{ periods: [{ from: '00:00', perKWh: 0.02 }, { from: '17:00', perKWh: 0.12 }, { from: '20:00', perKWh: 0.02 }] }],
      taxes: [{ name: 'energy tax', perKWh: 0.1 }],
      vatRate: 0.25,
    };
    const spot = { values: PRICES, known: PRICES.map(() => true) };
    expect(householdPrices(heater!.record, spot, START)).toEqual(PRICES);
    const allIn = householdPrices({ ...heater!.record, tariff }, spot, START);
    // START is 13:00 in Copenhagen: the first step pays the day fee, the step ending 17:15 local the peak fee.
    expect(allIn[0]).toBeCloseTo((PRICES[0]! + 0.01 + 0.02 + 0.1) * 1.25, 12);
    expect(allIn[16]).toBeCloseTo((PRICES[16]! + 0.01 + 0.12 + 0.1) * 1.25, 12);
  });
});
