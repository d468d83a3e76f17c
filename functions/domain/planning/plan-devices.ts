import type { DeviceRecord } from '../../../schemas/device.ts';
import type { DrProgram } from '../../../schemas/dr-program.ts';
import type { EventDetail } from '../../../schemas/events.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { MarketInputs, StepSeries } from '../../ports/market-inputs.ts';
import type { DeviceRegistry, DeviceState, DeviceStateStore, GridEventStore, PlanStore, StoredPlan } from '../../ports/stores.ts';
import type { PlanningProblem } from '../../../schemas/planning-problem.ts';
import { discomfortKh, evaluatePlan } from '../accounting/plan-cost.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';
import { cohortGroups, eventGroups, type EventGroup } from '../dr-dispatch/event-groups.ts';
import { DEFAULT_MAX_EXTRA_COLD_KH, DEFAULT_RESTORE_MINUTES, programOf } from '../dr-dispatch/active-events.ts';
import { dispatchFleet, type FleetDispatch } from '../dr-dispatch/dispatch-fleet.ts';
import { splitGroup } from '../dr-dispatch/split-group.ts';
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
  /** Demand-response events to answer; without it devices plan for energy cost and comfort alone. */
  gridEvents?: Pick<GridEventStore, 'listAll' | 'get'>;
}

/**
 * Which devices to plan and why; no zone, cell or list means every device. A cohort is a share of a larger
 * replan, already grouped: it is planned as it is, never split again.
 */
export type PlanTrigger = EventDetail<'ReplanRequested'> | (EventDetail<'PlanCohortRequested'> & { cohort: true });

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
export const PLANNING_POLICIES = ['hearth-dp', 'thermostat'] as const;
export type PlanningPolicy = (typeof PLANNING_POLICIES)[number];
export const POLICY: PlanningPolicy = 'hearth-dp';
/**
 * Hard limit on one device's solve. A warm solve takes about half a millisecond and a cold one (first in a
 * fresh Lambda) tens; past the limit the device gets the better of its previous plan and the baseline.
 */
export const SOLVE_BUDGET_MS = 250;

export interface PlanDevicesOptions {
  policy?: PlanningPolicy;
  /** What each DR program means for the fleet (SIMPLE levels, return period, comfort allowance). */
  drPrograms?: readonly DrProgram[];
}

/** How a group of devices answers one grid event, over the event's capped window. */
export interface DrDispatchSummary {
  gridEventId: string;
  devices: number;
  /** Means over the capped window (kW); absent when the event only prices energy. */
  targetKW?: number;
  plannedKW?: number;
  baselineKW?: number;
  window?: { start: string; end: string };
  overshootPct: number;
  returnStepUpKW: number;
  unstaggeredReturnStepUpKW: number;
  reboundKW: number;
}

/** What the plans stored in one invocation add up to, over their 48 h horizon (power: their first step). */
export interface PlannedTotals {
  plannedKW: number;
  energyCostEur: number;
  computeRevenueEur: number;
  netCostEur: number;
  discomfortKh: number;
}

export interface PlanDevicesResult {
  /** When the replan was too large for one invocation: the cohorts announced, and their devices. */
  fannedOut?: { cohorts: number; devices: number };
  planned: { deviceId: string; v: number }[];
  totals: PlannedTotals;
  failed: { deviceId: string; error: string }[];
  dr: DrDispatchSummary[];
  /** Active events not answered: stored ones that no longer read, or whose dispatch could not be computed. */
  unansweredEvents: { gridEventId: string; reason: string }[];
}

async function selectDevices(trigger: PlanTrigger, devices: DeviceRegistry): Promise<DeviceRecord[]> {
  if ('cohort' in trigger || trigger.deviceIds?.length) return devices.getMany(trigger.deviceIds ?? []);
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

interface DeviceInputs {
  device: DeviceRecord;
  problem: PlanningProblem;
  previous: StoredPlan | undefined;
}

/** Latest states read for a whole replan at once (BatchGetItem), so a device costs no read of its own. */
type KnownStates = ReadonlyMap<string, DeviceState>;

async function inputsFor(device: DeviceRecord, start: Date, ports: PlanDevicesPorts, known: KnownStates): Promise<DeviceInputs> {
  const [state, prices, outdoor, previous] = await Promise.all([
    known.get(device.deviceId),
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
  return { device, problem, previous };
}

/** Adds a stored plan's predicted cost, revenue and discomfort to the invocation's totals. */
function addToTotals(totals: PlannedTotals, problem: PlanningProblem, powerW: readonly number[]): void {
  const { cost, predictedTempC } = evaluatePlan(problem, powerW);
  const { belowKh, aboveKh } = discomfortKh(predictedTempC, problem.comfort.minC, problem.comfort.maxC, problem.stepMinutes / 60);
  totals.plannedKW += (powerW[0] ?? 0) / 1000;
  totals.energyCostEur += cost.energyEur;
  totals.computeRevenueEur += cost.revenueEur;
  totals.netCostEur += cost.energyEur - cost.revenueEur;
  totals.discomfortKh += belowKh + aboveKh;
}

interface PlanToStore {
  powerW: readonly number[];
  policy: string;
  reason: string;
  gridEventId?: string;
}

async function storePlan({ device, previous }: DeviceInputs, start: Date, planned: PlanToStore, ports: PlanDevicesPorts): Promise<number> {
  const now = ports.clock.now();
  const expiresAt = new Date(now.getTime() + PLAN_RETENTION_DAYS * 86_400_000);
  // Versions only move forward: take the next one; if a concurrent run took it first, take the one after.
  let latest = previous;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) latest = await ports.plans.latest(device.deviceId);
    const v = (latest?.plan.v ?? 0) + 1;
    const plan = toPlanDocument({ v, start, stepS: STEP_MINUTES * 60, powerW: [...planned.powerW], fallback: device.fallback });
    const stored = await ports.plans.put(
      {
        deviceId: device.deviceId,
        plan,
        createdAt: now.toISOString(),
        reason: planned.reason,
        policy: planned.policy,
        ...(planned.gridEventId ? { gridEventId: planned.gridEventId } : {}),
      },
      expiresAt,
    );
    if (stored === 'stored') return v;
  }
  throw new Error(`plan version kept colliding for ${device.deviceId}`);
}

async function planOne(device: DeviceRecord, start: Date, reason: string, ports: PlanDevicesPorts, policy: PlanningPolicy, known: KnownStates, totals: PlannedTotals): Promise<number> {
  const inputs = await inputsFor(device, start, ports, known);
  const result = planWith(policy, inputs.problem, inputs.previous, start);
  const v = await storePlan(inputs, start, { ...result, reason }, ports);
  addToTotals(totals, inputs.problem, result.powerW);
  return v;
}

const meanKW = (w: readonly number[], from: number, to: number) => w.slice(from, to).reduce((s, x) => s + x, 0) / Math.max(1, to - from) / 1000;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function summarise(group: EventGroup, dispatch: FleetDispatch, start: Date): DrDispatchSummary {
  const stepMs = STEP_MINUTES * 60_000;
  const summary: DrDispatchSummary = {
    gridEventId: group.event.gridEventId,
    devices: group.devices.length,
    overshootPct: round3(dispatch.overshootPct),
    returnStepUpKW: round3(dispatch.returnStepUpW / 1000),
    unstaggeredReturnStepUpKW: round3(dispatch.unstaggeredReturnStepUpW / 1000),
    reboundKW: round3(dispatch.reboundW / 1000),
  };
  if (!dispatch.window) return summary;
  const { fromStep, toStep } = dispatch.window;
  const capped = dispatch.capW.slice(fromStep, toStep).filter(Number.isFinite);
  return {
    ...summary,
    targetKW: round3(capped.reduce((s, c) => s + c, 0) / Math.max(1, capped.length) / 1000),
    plannedKW: round3(meanKW(dispatch.fleetLoadW, fromStep, toStep)),
    baselineKW: round3(meanKW(dispatch.baselineLoadW, fromStep, toStep)),
    window: { start: new Date(start.getTime() + fromStep * stepMs).toISOString(), end: new Date(start.getTime() + toStep * stepMs).toISOString() },
  };
}

/**
 * One grid event's devices planned together: the fleet allocation meets the event's caps at least cost, with
 * pre-heat and a staggered return. Under the baseline policy (a safe mode without the optimiser) devices keep
 * their thermostat plans: the event is recorded, not answered.
 */
async function planEventGroup(
  group: EventGroup,
  start: Date,
  reason: string,
  ports: PlanDevicesPorts,
  options: PlanDevicesOptions,
  result: PlanDevicesResult,
  known: KnownStates,
) {
  const inputs: DeviceInputs[] = [];
  await forEachLimited(group.devices, CONCURRENCY, async (device) => {
    try {
      inputs.push(await inputsFor(device, start, ports, known));
    } catch (e) {
      result.failed.push({ deviceId: device.deviceId, error: (e as Error).message });
    }
  });
  if (!inputs.length) return;
  inputs.sort((a, b) => a.device.deviceId.localeCompare(b.device.deviceId));
  const policy = options.policy ?? POLICY;
  const program = programOf(options.drPrograms ?? [], group.event.programId);
  let dispatched: { powerW: readonly number[]; policy: string }[];
  try {
    if (policy === 'thermostat') throw new Error('the thermostat policy does not answer grid events');
    const capShare = group.capShare;
    const directives = capShare === undefined ? group.event.directives : group.event.directives.map((d) => (d.capKW === undefined ? d : { ...d, capKW: d.capKW * capShare }));
    const dispatch = dispatchFleet(
      inputs.map(({ device, problem }) => ({ deviceId: device.deviceId, feederId: device.feederId, problem: withProductionObjective(problem) })),
      directives,
      {
        gridEventId: group.event.gridEventId,
        restoreMinutes: program?.restoreMinutes ?? DEFAULT_RESTORE_MINUTES,
        randomizeStartMs: group.event.randomizeStartMs,
        maxExtraColdKh: program?.maxExtraColdKh ?? DEFAULT_MAX_EXTRA_COLD_KH,
        ...(program?.ghgEurPerKg !== undefined ? { ghgEurPerKg: program.ghgEurPerKg } : {}),
      },
    );
    result.dr.push(summarise(group, dispatch, start));
    dispatched = dispatch.plans.map((p) => ({ powerW: p.powerW, policy: `${policy}+dr` }));
  } catch (e) {
    // A dispatch that cannot be computed must not leave the group without plans: each plans on its own, and
    // the event is reported as not answered.
    result.unansweredEvents.push({ gridEventId: group.event.gridEventId, reason: (e as Error).message });
    dispatched = inputs.map((i) => planWith(policy, i.problem, i.previous, start));
  }
  await forEachLimited(inputs, CONCURRENCY, async (input, i) => {
    try {
      const v = await storePlan(input, start, { ...dispatched[i]!, reason, gridEventId: group.event.gridEventId }, ports);
      result.planned.push({ deviceId: input.device.deviceId, v });
      addToTotals(result.totals, input.problem, dispatched[i]!.powerW);
    } catch (e) {
      result.failed.push({ deviceId: input.device.deviceId, error: (e as Error).message });
    }
  });
}

/**
 * Plans every device the trigger concerns for the next 48 h (with the optimising planner unless the baseline
 * policy is asked for), stores each plan under a new version, and announces them in cohorts for the shadow
 * push. Devices under an active grid event are planned with the rest of its group so the group meets it (see
 * event-groups.ts). A device that fails does not stop the others.
 */
export async function planDevices(trigger: PlanTrigger, ports: PlanDevicesPorts, options: PlanDevicesOptions = {}): Promise<PlanDevicesResult> {
  const start = floorToStep(ports.clock.now());
  const result: PlanDevicesResult = {
    planned: [],
    failed: [],
    dr: [],
    unansweredEvents: [],
    totals: { plannedKW: 0, energyCostEur: 0, computeRevenueEur: 0, netCostEur: 0, discomfortKh: 0 },
  };
  const selected = await selectDevices(trigger, ports.devices);
  const horizonEnd = new Date(start.getTime() + HORIZON_STEPS * STEP_MINUTES * 60_000);
  const grouping = !ports.gridEvents
    ? { groups: [], alone: selected, unreadable: [] }
    : 'cohort' in trigger
      ? await cohortGroups(trigger, selected, start, horizonEnd, ports.gridEvents, options.drPrograms ?? [])
      : await eventGroups({ trigger, selected, start, end: horizonEnd, registry: ports.devices, gridEvents: ports.gridEvents, programs: options.drPrograms ?? [] });
  result.unansweredEvents = [...grouping.unreadable];

  const total = grouping.alone.length + grouping.groups.reduce((s, g) => s + g.devices.length, 0);
  if (!('cohort' in trigger) && total > COHORT_SIZE) {
    const cohorts = cohortsOf(trigger.reason, grouping);
    await ports.events.publish('PlanCohortRequested', cohorts);
    result.fannedOut = { cohorts: cohorts.length, devices: total };
    return result;
  }

  const known = await ports.states.getMany([...grouping.alone, ...grouping.groups.flatMap((g) => g.devices)].map((d) => d.deviceId));
  for (const group of grouping.groups) await planEventGroup(group, start, trigger.reason, ports, options, result, known);
  await forEachLimited(grouping.alone, CONCURRENCY, async (device) => {
    try {
      result.planned.push({ deviceId: device.deviceId, v: await planOne(device, start, trigger.reason, ports, options.policy ?? POLICY, known, result.totals) });
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

/**
 * One cohort per event group (its cap binds them together) — a group larger than a cohort in parts, each with
 * its share of the cap — and the other devices in cohorts of COHORT_SIZE.
 */
function cohortsOf(reason: string, grouping: { groups: EventGroup[]; alone: DeviceRecord[] }): EventDetail<'PlanCohortRequested'>[] {
  const cohorts: EventDetail<'PlanCohortRequested'>[] = grouping.groups.flatMap((g) =>
    splitGroup(g.devices, COHORT_SIZE).map((part) => ({
      reason,
      deviceIds: part.devices.map((d) => d.deviceId),
      gridEventId: g.event.gridEventId,
      ...(part.capShare < 1 ? { capShare: part.capShare } : {}),
    })),
  );
  for (let i = 0; i < grouping.alone.length; i += COHORT_SIZE) {
    cohorts.push({ reason, deviceIds: grouping.alone.slice(i, i + COHORT_SIZE).map((d) => d.deviceId) });
  }
  return cohorts;
}
