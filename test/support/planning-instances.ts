import { deviceProblem } from '../../functions/domain/planning/device-problem.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { seededRandom } from '../../local/fleet/seeded-random.ts';
import { ActualConditions } from '../../local/twin/actual-conditions.ts';
import type { PlanningProblem } from '../../schemas/planning-problem.ts';

/**
 * Realistic 48 h planning problems for tests and benchmarks: the fleet generator's varied rooms, efficiencies
 * and comfort schedules, with real DK2 spot prices and Malmö temperatures from data/samples at a random hour
 * of the six winter weeks, and a random starting temperature. `extras` adds the optional objective terms
 * (a switching penalty and a value of heat stored at the end) the production planner uses.
 */
export interface InstanceOptions {
  count: number;
  seed?: number;
  steps?: number;
  extras?: boolean;
  /** Every device plans from this instant (a fleet's common horizon) instead of a random hour of the sample. */
  start?: Date;
}

let conditions: ActualConditions | undefined;

export function planningInstances({ count, seed = 1, steps = 192, extras = false, start: commonStart }: InstanceOptions): PlanningProblem[] {
  const actual = (conditions ??= new ActualConditions('DK2'));
  const random = seededRandom(seed * 7919 + 13);
  const fleet = generateFleet(count, seed);
  const hours = Math.floor((actual.endMs - actual.firstMs) / 3_600_000) - Math.ceil((steps * 15) / 60) - 1;
  return fleet.map(({ record }) => {
    const randomStart = new Date(actual.firstMs + Math.floor(random() * hours) * 3_600_000);
    const start = commonStart ?? randomStart;
    const at = (k: number) => new Date(start.getTime() + k * 15 * 60_000);
    const problem = deviceProblem({
      device: record,
      start,
      steps,
      stepMinutes: 15,
      initialTempC: Math.round((17.5 + random() * 5) * 10) / 10,
      outdoorC: Array.from({ length: steps }, (_, k) => actual.outdoorC(at(k))),
      priceEurPerKWh: Array.from({ length: steps }, (_, k) => actual.priceEurPerKWh(at(k))),
    });
    if (!extras) return problem;
    return { ...problem, switchPenaltyEur: 0.002, terminalValueEurPerK: Math.round(record.room.capacityKWhPerK * 0.1 * 1000) / 1000 };
  });
}
