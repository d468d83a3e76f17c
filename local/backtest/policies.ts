import type { PowerLevel } from '../../schemas/shadow.ts';
import { highestLevelAtMost } from '../../functions/domain/planning/power-levels.ts';
import { HYSTERESIS_K, SETPOINT_SHARE } from '../../functions/domain/planning/thermostat-policy.ts';

/**
 * The two reactive policies a backtest compares Hearth with, deciding each 15-minute step from what a
 * device sees at that moment (the room's temperature, the current price and revenue):
 * - `thermostat`: a classic electric heater — the baseline of thermostat-policy.ts (setpoint a quarter up
 *   the comfort band, ±HYSTERESIS_K, full power when on), run live on the measured room temperature with
 *   its on/off state carried from step to step;
 * - `greedy`: a compute heater that mines whenever it pays — at the level earning the most over its energy
 *   cost, when that is positive — unless the room is within NEAR_MAX_K of the band's top; it never draws
 *   less than the thermostat would, so it is never colder.
 */
export const NEAR_MAX_K = 0.5;

export class LiveThermostat {
  private heating = false;

  decide(roomC: number, minC: number, maxC: number, levels: readonly PowerLevel[]): number {
    const setpointC = minC + SETPOINT_SHARE * (maxC - minC);
    if (roomC < setpointC - HYSTERESIS_K) this.heating = true;
    else if (roomC > setpointC + HYSTERESIS_K) this.heating = false;
    return this.heating ? highestLevelAtMost(levels, Infinity).powerW : 0;
  }
}

export class GreedyMiner {
  private readonly thermostat = new LiveThermostat();

  decide(roomC: number, minC: number, maxC: number, levels: readonly PowerLevel[], priceEurPerKWh: number, revenueEurPerKWh: number): number {
    const comfort = this.thermostat.decide(roomC, minC, maxC, levels);
    if (roomC >= maxC - NEAR_MAX_K) return comfort;
    let best = 0;
    let bestProfit = 0;
    for (const level of levels) {
      const profit = level.computeW * revenueEurPerKWh - level.powerW * priceEurPerKWh;
      if (profit > bestProfit) {
        bestProfit = profit;
        best = level.powerW;
      }
    }
    return Math.max(best, comfort);
  }
}
