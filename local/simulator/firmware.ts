import { comfortAt } from '../../functions/domain/comfort/comfort-band.ts';
import { highestLevelAtMost } from '../../functions/domain/planning/power-levels.ts';
import type { ConfigDocument, PlanDocument, PowerLevel } from '../../schemas/shadow.ts';

/**
 * The reference firmware of the shadow contract: what a heater draws at an instant. Pure: the device around
 * it owns the clock, the sensors and the MQTT session. Rules, first match wins:
 *
 * 1. safety  — chipC ≥ safety.maxChipC or roomC ≥ safety.maxRoomC: 0 W, whatever the mode or plan.
 * 2. off     — config mode 'off': 0 W.
 * 3. manual  — config mode 'manual': the household drives the heater, plans are ignored; the local thermostat
 *              runs on the config's comfort schedule at the local time of `config.timezone`.
 * 4. auto    — a plan covers `now` (start ≤ now < validUntil and now inside its steps): the current step's
 *              power, snapped down to the highest level ≤ the planned power (0 W when none is), so a device
 *              never draws more than planned.
 * 5. fallback — no plan, or `now` outside it: the local thermostat inside the plan's fallback band (the
 *              device's own band before any plan arrived).
 *
 * The local thermostat heats at the highest level. It switches ON below the band's minimum and OFF at or
 * above the band's midpoint, keeping its state in between: the wide hysteresis keeps a relay from flapping
 * while holding the room in the lower, cheaper half of the band. Rules 1, 2 and 4 reset it to OFF, so it
 * restarts from a known state whenever it takes over.
 */
export type FirmwareMode = 'auto' | 'fallback' | 'safety' | 'off' | 'manual';

export interface FirmwareState {
  /** The local thermostat's relay. */
  heating: boolean;
}

export interface FirmwareInput {
  now: Date;
  plan?: PlanDocument;
  config: ConfigDocument;
  /** The band used before any plan arrived; afterwards the plan's own fallback takes over. */
  fallback: PlanDocument['fallback'];
  levels: readonly PowerLevel[];
  roomC: number;
  chipC: number;
  state: FirmwareState;
}

export interface FirmwareDecision {
  powerW: number;
  mode: FirmwareMode;
  /** The version of the plan whose step is being drawn; absent when no plan drives the power. */
  appliedPlanVersion?: number;
  state: FirmwareState;
}

const OFF: FirmwareState = Object.freeze({ heating: false });

/** The planned power at `now`, or undefined when the plan does not cover it. */
export function plannedPowerAt(plan: PlanDocument, now: Date): number | undefined {
  const nowMs = now.getTime();
  const startMs = Date.parse(plan.start);
  if (nowMs < startMs || nowMs >= Date.parse(plan.validUntil)) return undefined;
  return plan.powerW[Math.floor((nowMs - startMs) / (plan.stepS * 1000))];
}

function thermostat(input: FirmwareInput, band: { minC: number; maxC: number }): { powerW: number; state: FirmwareState } {
  const midpointC = (band.minC + band.maxC) / 2;
  let heating = input.state.heating;
  if (input.roomC < band.minC) heating = true;
  else if (input.roomC >= midpointC) heating = false;
  return { powerW: heating ? highestLevelAtMost(input.levels, Infinity).powerW : 0, state: { heating } };
}

export function decidePower(input: FirmwareInput): FirmwareDecision {
  const { config, plan } = input;
  if (input.chipC >= config.safety.maxChipC || input.roomC >= config.safety.maxRoomC) return { powerW: 0, mode: 'safety', state: OFF };
  if (config.mode === 'off') return { powerW: 0, mode: 'off', state: OFF };
  if (config.mode === 'manual') return { ...thermostat(input, comfortAt(config.comfort, config.timezone, input.now)), mode: 'manual' };
  const plannedW = plan ? plannedPowerAt(plan, input.now) : undefined;
  if (plan && plannedW !== undefined) {
    return { powerW: highestLevelAtMost(input.levels, plannedW).powerW, mode: 'auto', appliedPlanVersion: plan.v, state: OFF };
  }
  return { ...thermostat(input, plan?.fallback ?? input.fallback), mode: 'fallback' };
}
