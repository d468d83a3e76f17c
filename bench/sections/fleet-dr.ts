import { allocateFleetDr, baselineResponses } from '../../functions/domain/fleet-dr/allocate-fleet-dr.ts';
import { fleetLoad } from '../../functions/domain/fleet-dr/dr-request.ts';
import { naiveShed } from '../../functions/domain/fleet-dr/naive-shed.ts';
import { planningInstances } from '../../test/support/planning-instances.ts';
import type { BenchSection } from '../section.ts';

/**
 * Fleet DR on 1,000 heaters sharing a 48 h horizon from local midnight (fleet-generator rooms, real DK2
 * prices and Malmö weather, production objective with switching penalty), a cap at 60 % of the fleet's
 * own peak over a 07:00–10:00 event. `seconds` is the whole allocation on one core, the fleet's own plans
 * included (a shed target is measured from them). `costVsNaiveShed` = extra household cost of the
 * allocation ÷ extra cost of switching whole devices off (largest window load first, those devices
 * re-planning around the event) until the fleet fits; below 1 is cheaper.
 */
const DEVICES = 1000;
const FROM_STEP = 28;
const TO_STEP = 40;
const CAP_SHARE = 0.6;

export const section: BenchSection = {
  name: 'fleetDr',
  description: `fleet DR: ${DEVICES} heaters, cap ${CAP_SHARE * 100} % of their peak over 07:00–10:00`,
  async run(log) {
    const problems = planningInstances({ count: DEVICES, seed: 9, extras: true, start: new Date('2023-01-16T23:00:00Z') });
    // Warm the JIT on a few devices, as a long-running planner would be.
    baselineResponses(problems.slice(0, 50));
    const started = performance.now();
    const baseline = baselineResponses(problems);
    const load = fleetLoad(baseline, problems[0]!.outdoorC.length);
    const capW = CAP_SHARE * Math.max(...load.slice(FROM_STEP, TO_STEP));
    const request = { fromStep: FROM_STEP, toStep: TO_STEP, capW };
    const result = allocateFleetDr(problems, request, {}, baseline);
    const seconds = (performance.now() - started) / 1000;
    const naive = naiveShed(problems, request, baseline);
    const extra = result.costEur - result.baselineCostEur;
    const naiveExtra = naive.costEur - result.baselineCostEur;
    log(
      `cap ${(capW / 1000).toFixed(1)} kW; λ ${result.adderEurPerKWh.map((l) => l.toFixed(3)).join(' ')} EUR/kWh; ${result.sweeps} sweeps; ` +
        `${result.guardedDevices.length} guarded, ${result.repairedDevices.length} repaired; extra cost ${extra.toFixed(2)} EUR vs naive ${naiveExtra.toFixed(2)} EUR (${naive.devicesOff.length} devices off)`,
    );
    return {
      devices: DEVICES,
      seconds: Number(seconds.toFixed(2)),
      capOvershootPct: Number(result.overshootPct.toFixed(2)),
      costVsNaiveShed: Number((extra / naiveExtra).toFixed(3)),
      extraCostEur: Number(extra.toFixed(2)),
      naiveExtraCostEur: Number(naiveExtra.toFixed(2)),
      devicesOffNaive: naive.devicesOff.length,
      sweeps: result.sweeps,
      guardedDevices: result.guardedDevices.length,
    };
  },
};
