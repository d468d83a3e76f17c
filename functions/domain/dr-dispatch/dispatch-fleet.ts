import type { PlanningProblem } from '../../../schemas/planning-problem.ts';
import { allocateFleetDr, baselineResponses } from '../fleet-dr/allocate-fleet-dr.ts';
import { respond, windowAdder, withCaps, type DeviceResponse } from '../fleet-dr/device-response.ts';
import { fleetLoad, NO_CAP_W } from '../fleet-dr/dr-request.ts';
import type { DrDirective } from '../grid/dr-directives.ts';
import { stableShare } from './stable-share.ts';

/** A device answering an event: its planning problem on the fleet's common horizon, and where it hangs. */
export interface DispatchDevice {
  deviceId: string;
  feederId?: string | undefined;
  problem: PlanningProblem;
}

export interface DispatchOptions {
  /** Seeds each device's place in the staggered return. */
  gridEventId: string;
  restoreMinutes: number;
  /** The longest a device may hold back when the event starts (OpenADR randomizeStart); the return spreads at least this far. */
  randomizeStartMs?: number;
  maxExtraColdKh: number;
  /** EUR per kg CO2e for GHG signals (given in g/kWh); 0 leaves them informational. */
  ghgEurPerKg?: number;
  timeBudgetMs?: number;
}

export interface DispatchedPlan {
  deviceId: string;
  powerW: readonly number[];
  /** Steps after the event the device waited before drawing more than it did at the event's end. */
  restoreDelaySteps: number;
}

export interface FleetDispatch {
  plans: DispatchedPlan[];
  /** The fleet's cap per step (W; Infinity where the event asks for none). */
  capW: number[];
  baselineLoadW: number[];
  fleetLoadW: number[];
  /** Steps [fromStep, toStep) of the horizon the caps span; absent when the event only prices energy. */
  window?: { fromStep: number; toStep: number };
  overshootPct: number;
  /** Σ of households' objectives with and without the event (EUR). */
  costEur: number;
  baselineCostEur: number;
  /** The largest rise of the group's draw from one step to the next as it returns, staggered and as the allocation alone would have it. */
  returnStepUpW: number;
  unstaggeredReturnStepUpW: number;
  /** How far the group's draw goes above its own plan's while it returns (rooms reheating): the rebound. */
  reboundW: number;
}

const stepOf = (problem: PlanningProblem, at: Date) => (at.getTime() - Date.parse(problem.start)) / (problem.stepMinutes * 60_000);

/** Directives as per-step prices (EUR/kWh) and caps/shares over the horizon. */
function perStep(problem: PlanningProblem, directives: readonly DrDirective[], ghgEurPerKg: number) {
  const steps = problem.outdoorC.length;
  const adder = new Array<number>(steps).fill(0);
  const capW = new Array<number>(steps).fill(Infinity);
  const shed = new Array<number>(steps).fill(0);
  for (const d of directives) {
    const from = Math.max(0, Math.floor(stepOf(problem, d.start)));
    const to = Math.min(steps, d.end ? Math.ceil(stepOf(problem, d.end)) : steps);
    for (let t = from; t < to; t++) {
      adder[t]! += (d.priceAdderPerKWh ?? 0) + ((d.ghgPerKWh ?? 0) / 1000) * ghgEurPerKg;
      if (d.capKW !== undefined) capW[t] = Math.min(capW[t]!, d.capKW * 1000);
      if (d.shedFraction !== undefined) shed[t] = Math.max(shed[t]!, d.shedFraction);
    }
  }
  return { adder, capW, shed };
}

const withPriceAdder = (problem: PlanningProblem, adder: readonly number[]): PlanningProblem =>
  adder.some((a) => a !== 0) ? { ...problem, priceEurPerKWh: problem.priceEurPerKWh.map((p, t) => p + adder[t]!) } : problem;

const largestStepUp = (load: readonly number[], from: number, to: number) => {
  let rise = 0;
  for (let t = Math.max(1, from); t < to; t++) rise = Math.max(rise, load[t]! - load[t - 1]!);
  return rise;
};

/**
 * How a group of devices meets one event. PRICE and GHG signals raise the energy price each device plans
 * against; caps (IMPORT_CAPACITY_LIMIT, DISPATCH_SETPOINT) and SIMPLE shed shares become a cap per step on the
 * group's draw, met at least cost by the fleet allocation (each device pre-heats before the window as far as
 * its comfort band allows and sheds where that is cheapest for its room). After the window every device would
 * otherwise come back at once to reheat its room — a rebound peak — so devices return staggered: on each
 * feeder, spread evenly at random over the return period, each holding at most what it drew in the event's
 * last step until its turn. A household's comfort bounds both: a device is never asked for more than
 * `maxExtraColdKh` beyond its own plan, and its wait is shortened until it is not.
 */
export function dispatchFleet(devices: readonly DispatchDevice[], directives: readonly DrDirective[], options: DispatchOptions): FleetDispatch {
  if (!devices.length) throw new RangeError('a dispatch needs at least one device');
  const first = devices[0]!.problem;
  const steps = first.outdoorC.length;
  const signals = perStep(first, directives, options.ghgEurPerKg ?? 0);
  const problems = devices.map((d) => withPriceAdder(d.problem, signals.adder));
  const baseline = baselineResponses(problems);
  const baselineLoadW = fleetLoad(baseline, steps);
  const capW = signals.capW.map((c, t) => Math.min(c, signals.shed[t]! > 0 ? baselineLoadW[t]! * (1 - signals.shed[t]!) : Infinity));
  const capped = capW.map((c, t) => (Number.isFinite(c) ? t : -1)).filter((t) => t >= 0);

  if (!capped.length) {
    return {
      plans: baseline.map((b, i) => ({ deviceId: devices[i]!.deviceId, powerW: b.powerW, restoreDelaySteps: 0 })),
      capW,
      baselineLoadW,
      fleetLoadW: baselineLoadW,
      overshootPct: 0,
      costEur: baseline.reduce((s, b) => s + b.objectiveEur, 0),
      baselineCostEur: baseline.reduce((s, b) => s + b.objectiveEur, 0),
      returnStepUpW: 0,
      unstaggeredReturnStepUpW: 0,
      reboundW: 0,
    };
  }
  const fromStep = capped[0]!;
  const toStep = capped[capped.length - 1]! + 1;
  const allocation = allocateFleetDr(
    problems,
    { fromStep, toStep, capW: capW.slice(fromStep, toStep).map((c) => (Number.isFinite(c) ? c : NO_CAP_W)) },
    { maxExtraColdKh: options.maxExtraColdKh, ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}) },
    baseline,
  );

  const stepMs = first.stepMinutes * 60_000;
  const returnSteps = Math.min(steps - toStep, Math.ceil(Math.max(options.restoreMinutes * 60_000, options.randomizeStartMs ?? 0) / stepMs));
  const adder = windowAdder(steps, fromStep, toStep, allocation.adderEurPerKWh);
  const delays = returnDelays(devices, options.gridEventId, returnSteps);
  const responses = devices.map((_, i) =>
    holdBack(problems[i]!, allocation.plans[i]!, baseline[i]!, adder, fromStep, toStep, delays[i]!, options.maxExtraColdKh),
  );
  const plans: DispatchedPlan[] = responses.map((r, i) => ({ deviceId: devices[i]!.deviceId, powerW: r.response.powerW, restoreDelaySteps: r.delay }));
  const fleetLoadW = fleetLoad(plans, steps);
  const after = Math.min(steps, toStep + returnSteps + 4);
  return {
    plans,
    capW,
    baselineLoadW,
    fleetLoadW,
    window: { fromStep, toStep },
    overshootPct: allocation.overshootPct,
    costEur: responses.reduce((s, r) => s + r.response.objectiveEur, 0),
    baselineCostEur: allocation.baselineCostEur,
    returnStepUpW: largestStepUp(fleetLoadW, toStep, after),
    unstaggeredReturnStepUpW: largestStepUp(allocation.fleetLoadW, toStep, after),
    reboundW: Math.max(0, ...fleetLoadW.slice(toStep, after).map((w, k) => w - baselineLoadW[toStep + k]!)),
  };
}

/**
 * Each device's wait after the event, in steps: on each feeder the devices, in an order fixed by the event and
 * device ids, take evenly spaced places over [0, returnSteps], each jittered within its own slot.
 */
export function returnDelays(devices: readonly Pick<DispatchDevice, 'deviceId' | 'feederId'>[], gridEventId: string, returnSteps: number): number[] {
  const delays = new Array<number>(devices.length).fill(0);
  if (returnSteps <= 0) return delays;
  const feeders = new Map<string, number[]>();
  devices.forEach((d, i) => {
    const key = d.feederId ?? '';
    feeders.set(key, [...(feeders.get(key) ?? []), i]);
  });
  for (const members of feeders.values()) {
    const order = members
      .map((i) => ({ i, u: stableShare(`${gridEventId}/${devices[i]!.deviceId}`) }))
      .sort((a, b) => a.u - b.u || a.i - b.i);
    order.forEach(({ i }, rank) => {
      const jitter = stableShare(`${gridEventId}/${devices[i]!.deviceId}/jitter`);
      delays[i] = Math.min(returnSteps, Math.floor(((rank + jitter) / order.length) * (returnSteps + 1)));
    });
  }
  return delays;
}

/**
 * The device's allocated plan with its return delayed: inside the window it draws at most what it was
 * allocated, and for `delay` steps after it at most what it drew in the window's last step. Where that would
 * cost its household more comfort than allowed, the wait is halved until it does not.
 */
function holdBack(
  problem: PlanningProblem,
  allocated: DeviceResponse,
  baseline: DeviceResponse,
  adder: readonly number[],
  fromStep: number,
  toStep: number,
  delay: number,
  maxExtraColdKh: number,
): { response: DeviceResponse; delay: number } {
  for (let wait = delay; wait > 0; wait = Math.floor(wait / 2)) {
    const caps = new Map<number, number>();
    for (let t = fromStep; t < toStep; t++) caps.set(t, allocated.powerW[t]!);
    const held = allocated.powerW[toStep - 1]!;
    for (let t = toStep; t < toStep + wait; t++) caps.set(t, held);
    const response = respond(withCaps(problem, caps), adder);
    if (response.coldKh - baseline.coldKh <= maxExtraColdKh) return { response, delay: wait };
  }
  return { response: allocated, delay: 0 };
}
