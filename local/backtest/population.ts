import type { DeviceRecord, RoomModel } from '../../schemas/device.ts';
import { ASSUMED_USD_PER_EUR, SAMPLE_HASHPRICE_USD_PER_TH_DAY, generateFleet } from '../fleet/generate-fleet.ts';
import { seededRandom } from '../fleet/seeded-random.ts';

/**
 * The backtest's households: the fleet generator's varied rooms, heaters, chip efficiencies and comfort
 * schedules (local/fleet/generate-fleet.ts), each with
 * - its TRUE room, which the simulation runs, plus heat nobody models (people, cooking, sun: an AR(1)
 *   process, UNKNOWN_HEAT_W innovation per 15 minutes, correlated over hours);
 * - the room its PLANNER believes in: the true one with the errors a couple of weeks of telemetry leave
 *   (room-learning): ±MODEL_ERROR_REL (1 σ) on UA and C, ±MODEL_ERROR_OTHER_W on other heat.
 * The classic thermostat and the greedy miner need no model; they react to the true room.
 */
export const MODEL_ERROR_REL = 0.1;
export const MODEL_ERROR_OTHER_W = 40;
export const UNKNOWN_HEAT_W = 10;
export const UNKNOWN_HEAT_RHO = 0.95;

export interface BacktestDevice {
  record: DeviceRecord;
  trueRoom: RoomModel;
  modelRoom: RoomModel;
  initialRoomC: number;
  efficiencyJPerTH: number;
  /** The generator's revenue per kWh of compute (its sample-weeks hashprice at this efficiency). */
  fleetRevenueEurPerKWh: number;
  /** Unknown heat per 15-minute step, W, drawn once so every policy's room meets the same disturbances. */
  unknownHeat: (step: number) => number;
}

export function backtestPopulation(count: number, seed: number, timezone: string, steps: number): BacktestDevice[] {
  const random = seededRandom(seed * 4099 + 7);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return generateFleet(count, seed).map(({ record, initialRoomC }) => {
    const trueRoom = record.room;
    const modelRoom: RoomModel = {
      uaWPerK: trueRoom.uaWPerK * Math.max(0.5, 1 + MODEL_ERROR_REL * gauss()),
      capacityKWhPerK: trueRoom.capacityKWhPerK * Math.max(0.5, 1 + MODEL_ERROR_REL * gauss()),
      otherHeatW: Math.max(0, trueRoom.otherHeatW + MODEL_ERROR_OTHER_W * gauss()),
    };
    const heat = new Float64Array(steps);
    let u = 0;
    for (let k = 0; k < steps; k++) heat[k] = u = UNKNOWN_HEAT_RHO * u + UNKNOWN_HEAT_W * gauss();
    // The generator derives revenue from efficiency; invert it to keep the efficiency for hashprice revenue.
    const efficiencyJPerTH = (SAMPLE_HASHPRICE_USD_PER_TH_DAY * 1000) / (24 * record.computeRevenuePerKWh * ASSUMED_USD_PER_EUR);
    return {
      record: { ...record, timezone },
      trueRoom,
      modelRoom,
      initialRoomC,
      efficiencyJPerTH,
      fleetRevenueEurPerKWh: record.computeRevenuePerKWh,
      unknownHeat: (k) => heat[k] ?? 0,
    };
  });
}
