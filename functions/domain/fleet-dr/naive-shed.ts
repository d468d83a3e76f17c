import type { PlanningProblem } from '../../../schemas/planning-problem.ts';
import { respond, withCaps, type DeviceResponse } from './device-response.ts';
import { capPerStep, checkCommonHorizon, fleetLoad, type FleetDrRequest } from './dr-request.ts';

/**
 * The yardstick a DR allocation is compared with: classic direct load control, which switches whole
 * devices off for the window — the ones drawing most in it first — until the fleet fits. To be fair to it,
 * the devices switched off know the window and re-plan around it (they may preheat); the others keep their
 * own plans.
 */
export interface NaiveShedResult {
  plans: DeviceResponse[];
  fleetLoadW: number[];
  costEur: number;
  devicesOff: number[];
}

export function naiveShed(problems: readonly PlanningProblem[], request: FleetDrRequest, baseline: readonly DeviceResponse[]): NaiveShedResult {
  const { steps } = checkCommonHorizon(problems);
  const capW = capPerStep(request, steps, fleetLoad(baseline, steps));
  const windowKWh = (p: DeviceResponse) => p.powerW.slice(request.fromStep, request.toStep).reduce((s, w) => s + w, 0);
  const order = problems.map((_, d) => d).sort((x, y) => windowKWh(baseline[y]!) - windowKWh(baseline[x]!) || x - y);
  const load = fleetLoad(baseline, steps);
  const over = () => load.some((w, t) => w > capW[t]!);
  const off: number[] = [];
  for (const d of order) {
    if (!over()) break;
    off.push(d);
    for (let t = request.fromStep; t < request.toStep; t++) load[t] = load[t]! - baseline[d]!.powerW[t]!;
  }
  const plans = [...baseline];
  const windowOff = new Map<number, number>();
  for (let t = request.fromStep; t < request.toStep; t++) windowOff.set(t, 0);
  for (const d of off) plans[d] = respond(withCaps(problems[d]!, windowOff), undefined);
  return { plans, fleetLoadW: fleetLoad(plans, steps), costEur: plans.reduce((s, p) => s + p.objectiveEur, 0), devicesOff: off.sort((x, y) => x - y) };
}
