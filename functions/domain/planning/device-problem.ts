import type { DeviceRecord } from '../../../schemas/device.ts';
import type { PlanningProblem } from '../../../schemas/planning-problem.ts';
import { resolveComfortBand } from '../comfort/comfort-band.ts';

/**
 * What an hour outside the band costs, in currency per K·h. Being cold is what a household notices, so it
 * is weighed well above the price of a kWh; being warm above the band mostly wastes heat.
 */
export const DEFAULT_PENALTY = { belowEurPerKh: 1.0, aboveEurPerKh: 0.2 } as const;

export interface DeviceProblemInputs {
  device: DeviceRecord;
  start: Date;
  steps: number;
  stepMinutes: number;
  initialTempC: number;
  outdoorC: number[];
  priceEurPerKWh: number[];
}

/** One device's planning problem from its registry record, its latest temperature and the market series. */
export function deviceProblem({ device, start, steps, stepMinutes, initialTempC, outdoorC, priceEurPerKWh }: DeviceProblemInputs): PlanningProblem {
  const comfort = resolveComfortBand({ schedule: device.comfort, timezone: device.timezone, start, steps, stepMinutes });
  return {
    start: start.toISOString(),
    stepMinutes,
    initialTempC,
    room: { uaWPerK: device.room.uaWPerK, capacityKWhPerK: device.room.capacityKWhPerK },
    otherHeatW: device.room.otherHeatW,
    outdoorC,
    priceEurPerKWh,
    computeRevenueEurPerKWh: device.computeRevenuePerKWh,
    levels: device.levels,
    comfort,
    capW: null,
    penalty: { ...DEFAULT_PENALTY },
  };
}
