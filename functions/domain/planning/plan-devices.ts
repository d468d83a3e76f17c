import type { DeviceRecord } from '../../../schemas/device.ts';
import type { EventDetail } from '../../../schemas/events.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { MarketInputs, StepSeries } from '../../ports/market-inputs.ts';
import type { DeviceRegistry, DeviceStateStore, PlanStore, StoredPlan } from '../../ports/stores.ts';
import type { PlanningProblem } from '../../../schemas/planning-problem.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';
import { deviceProblem } from './device-problem.ts';
import { planOptimal } from './dp-planner.ts';
import { toPlanDocument } from './plan-document.ts';
import { withProductionObjective } from './production-objective.ts';
import { allInPriceSteps } from '../tariffs/all-in-price.ts';
import { planThermostat } from './thermostat-policy.ts';

export interface PlanDevicesPorts {
  devices: DeviceRegistry;
  states: DeviceStateStore;
  plans: PlanStore;
  market: MarketInputs;
  events: EventPublisher;
  clock: Clock;
}

/** Which devices to plan and why; no zone, cell or list means every device. */
export type PlanTrigger = EventDetail<'ReplanRequested'>;

export const STEP_MINUTES = 15;
export const HORIZON_STEPS = 192;
export const PLAN_RETENTION_DAYS = 30;
/** PlansStored events carry at most this many devices: one event per cohort, never one per device. */
export const COHORT_SIZE = 500;
const CONCURRENCY = 8;

/**
 * `hearth-dp` is the optimising planner (dp-planner.ts); `thermostat` the baseline a classic heater would
 * follow (thermostat-policy.ts), kept selectable for comparison and as a safe mode.
 */
export type PlanningPolicy = 'hearth-dp' | 'thermostat';
export const POLICY: PlanningPolicy = 'hearth-dp';
/**
 * Hard limit on one device's solve. A warm solve takes about half a millisecond and a cold one (first in a
 * fresh Lambda) tens; past the limit the device gets the better of its previous plan and the baseline.
 */
export const SOLVE_BUDGET_MS = 250;

export interface PlanDevicesOptions {
  policy?: PlanningPolicy;
}

export interface PlanDevicesResult {
  planned: { deviceId: string; v: number }[];
  failed: { deviceId: string; error: string }[];
}

async function selectDevices(trigger: PlanTrigger, devices: DeviceRegistry): Promise<DeviceRecord[]> {
  if (trigger.deviceIds?.length) {
    const found = await Promise.all(trigger.deviceIds.map((id) => devices.get(id)));
    return found.filter((d): d is DeviceRecord => d !== undefined);
  }
  if (trigger.zone) return devices.listByZone(trigger.zone);
  if (trigger.cellId) return devices.listByWeatherCell(trigger.cellId);
  return devices.listAll();
}

const floorToStep = (d: Date): Date => new Date(Math.floor(d.getTime() / (STEP_MINUTES * 60_000)) * STEP_MINUTES * 60_000);

/** The previous plan's powers from `start` on, filled past its end with `tail`: the "last good plan" fallback. */
export function shiftedPlan(previous: StoredPlan | undefined, start: Date, tail: readonly number[]): number[] | undefined {
  if (!previous || previous.plan.stepS !== STEP_MINUTES * 60) return undefined;
  const offset = (start.getTime() - Date.parse(previous.plan.start)) / (previous.plan.stepS * 1000);
  if (!Number.isInteger(offset) || offset < 0 || offset >= previous.plan.powerW.length) return undefined;
  const kept = previous.plan.powerW.slice(offset, offset + tail.length);
  return [...kept, ...tail.slice(kept.length)];
}

/** Planners see what the household pays: the all-in price where the device has a tariff, else spot. */
export function householdPrices(device: DeviceRecord, spot: StepSeries, start: Date): number[] {
  return device.tariff ? allInPriceSteps(device.tariff, spot, start, STEP_MINUTES, device.timezone).values : spot.values;
}

/** Powers for the problem under the policy, and what to record as the plan's policy. */
function planWith(policy: PlanningPolicy, problem: PlanningProblem, previous: StoredPlan | undefined, start: Date): { powerW: number[]; policy: string } {
  const baseline = planThermostat(problem);
  if (policy === 'thermostat') return { powerW: baseline.powerW, policy };
  try {
    const plan = planOptimal(withProductionObjective(problem), { timeBudgetMs: SOLVE_BUDGET_MS, fallbackPowerW: shiftedPlan(previous, start, baseline.powerW) });
    return { powerW: plan.powerW, policy: plan.source === 'dp' ? policy : `${policy}:${plan.source}` };
  } catch {
    // The optimiser must never leave a device without a plan: the baseline is always there.
    return { powerW: baseline.powerW, policy: `${policy}:thermostat` };
  }
}

async function planOne(device: DeviceRecord, start: Date, reason: string, ports: PlanDevicesPorts, policy: PlanningPolicy): Promise<number> {
  const [state, prices, outdoor, previous] = await Promise.all([
    ports.states.get(device.deviceId),
    ports.market.priceSteps(device.zone, start, HORIZON_STEPS, STEP_MINUTES),
    ports.market.outdoorSteps(device.weatherCellId, start, HORIZON_STEPS, STEP_MINUTES),
    ports.plans.latest(device.deviceId),
  ]);
  // With no telemetry yet, plan from the middle of the fallback band: the device holds it on its own.
  const initialTempC = state?.roomC ?? (device.fallback.minC + device.fallback.maxC) / 2;
  const problem = deviceProblem({
    device,
    start,
    steps: HORIZON_STEPS,
    stepMinutes: STEP_MINUTES,
    initialTempC,
    outdoorC: outdoor.values,
    priceEurPerKWh: householdPrices(device, prices, start),
  });
  const result = planWith(policy, problem, previous, start);
  const now = ports.clock.now();
  const expiresAt = new Date(now.getTime() + PLAN_RETENTION_DAYS * 86_400_000);
  // Versions only move forward: take the next one; if a concurrent run took it first, take the one after.
  let latest = previous;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) latest = await ports.plans.latest(device.deviceId);
    const v = (latest?.plan.v ?? 0) + 1;
    const plan = toPlanDocument({ v, start, stepS: STEP_MINUTES * 60, powerW: result.powerW, fallback: device.fallback });
    const stored = await ports.plans.put({ deviceId: device.deviceId, plan, createdAt: now.toISOString(), reason, policy: result.policy }, expiresAt);
    if (stored === 'stored') return v;
  }
  throw new Error(`plan version kept colliding for ${device.deviceId}`);
}

/**
 * Plans every device the trigger concerns for the next 48 h (with the optimising planner unless the baseline
 * policy is asked for), stores each plan under a new version, and announces them in cohorts for the shadow
 * push. A device that fails does not stop the others.
 */
export async function planDevices(trigger: PlanTrigger, ports: PlanDevicesPorts, options: PlanDevicesOptions = {}): Promise<PlanDevicesResult> {
  const devices = await selectDevices(trigger, ports.devices);
  const start = floorToStep(ports.clock.now());
  const result: PlanDevicesResult = { planned: [], failed: [] };
  await forEachLimited(devices, CONCURRENCY, async (device) => {
    try {
      result.planned.push({ deviceId: device.deviceId, v: await planOne(device, start, trigger.reason, ports, options.policy ?? POLICY) });
    } catch (e) {
      result.failed.push({ deviceId: device.deviceId, error: (e as Error).message });
    }
  });
  const cohorts: EventDetail<'PlansStored'>[] = [];
  for (let i = 0; i < result.planned.length; i += COHORT_SIZE) {
    cohorts.push({ reason: trigger.reason, devices: result.planned.slice(i, i + COHORT_SIZE) });
  }
  if (cohorts.length) await ports.events.publish('PlansStored', cohorts);
  return result;
}
