import type { RoomPrior } from './fit-room-model.ts';

/**
 * What a room is believed to be before its own telemetry says otherwise, per device model. A heater is sold
 * for a room it can keep warm: its full power covers the room's loss at a design temperature difference
 * (≈ 35 K in a Nordic winter), so UA ≈ P_max / 35 K; an ordinary furnished room has a thermal time constant
 * C/UA of about two days. Named models override this rule with what their maker's fleet has shown.
 */
export const DESIGN_DELTA_K = 35;
export const TYPICAL_TIME_CONSTANT_H = 45;
export const TYPICAL_OTHER_HEAT_W = 150;

/** Spreads wide enough that a week of data overrules a wrong guess: ±50 % on UA and C, ±150 W of other heat. */
const SPREAD = { uaRelSd: 0.5, capacityRelSd: 0.5, otherHeatSdW: 150 } as const;

/** Priors of known device models; anything else gets the sizing rule. */
export const DEVICE_MODEL_PRIORS: Readonly<Record<string, RoomPrior>> = {
  // A 400–1200 W compute heater with a 2 kW boost: the fleet generator's heater (local/fleet/generate-fleet.ts).
  'hearth-reference-2kw': { uaWPerK: 55, capacityKWhPerK: 2.6, otherHeatW: 150, ...SPREAD },
};

export function roomPriorFor(device: { model?: string | undefined; maxPowerW: number }): RoomPrior {
  const named = device.model ? DEVICE_MODEL_PRIORS[device.model] : undefined;
  if (named) return named;
  const uaWPerK = Math.max(5, device.maxPowerW / DESIGN_DELTA_K);
  return { uaWPerK, capacityKWhPerK: (uaWPerK * TYPICAL_TIME_CONSTANT_H) / 1000, otherHeatW: TYPICAL_OTHER_HEAT_W, ...SPREAD };
}
