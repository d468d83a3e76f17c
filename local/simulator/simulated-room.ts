import { stepCoefficients, stepRoom } from '../../functions/domain/thermal/room-model.ts';
import type { RoomModel } from '../../schemas/device.ts';

/**
 * Chip temperature rise per kW drawn. The chips' own thermal mass is tiny next to the room's, so within a
 * simulation step they sit at steady state above the room air: chipC = roomC + CHIP_K_PER_KW · powerW / 1000.
 * 20 K/kW puts a 2 kW heater's chips near 60 °C in a 20 °C room, where air-cooled ASICs typically run.
 */
export const CHIP_K_PER_KW = 20;

/**
 * The physical room of a simulated heater: the domain's exact 1R1C model with the TRUE parameters (which the
 * planner only estimates), driven by the actual outdoor temperature.
 */
export class SimulatedRoom {
  private tempC: number;
  private drawnW = 0;

  constructor(
    private readonly model: RoomModel,
    initialTempC: number,
  ) {
    this.tempC = initialTempC;
  }

  get roomC(): number {
    return this.tempC;
  }

  /** The chips at the power drawn over the last interval (at the room's temperature before the first). */
  get chipC(): number {
    return this.tempC + (CHIP_K_PER_KW * this.drawnW) / 1000;
  }

  /** Holds `powerW` and `outdoorC` for `dtHours` and moves the room to the end of that interval. */
  advance(powerW: number, outdoorC: number, dtHours: number): void {
    this.tempC = stepRoom(stepCoefficients(this.model, dtHours), this.tempC, powerW + this.model.otherHeatW, outdoorC);
    this.drawnW = powerW;
  }
}
