import type { TelemetryMessage } from '../../../schemas/telemetry.ts';
import type { DeviceState } from '../../ports/stores.ts';

/**
 * When a newer message is worth a write of the device's latest state. Every message goes to history; the latest
 * state is what the planner starts from and what reconciliation judges, and neither needs it to the minute:
 * it moves when something material changes, and at least every `maxAgeS` of device time. At fleet scale this
 * saves most state writes (a heater reporting every minute is rewritten about every five), which is most of
 * ingest's cost. A write is still conditional on device time, so the state never moves backwards.
 */
export interface StateRefreshPolicy {
  maxAgeS: number;
  roomDeltaC: number;
  chipDeltaC: number;
  powerDeltaW: number;
}

export const DEFAULT_STATE_REFRESH: StateRefreshPolicy = { maxAgeS: 300, roomDeltaC: 0.2, chipDeltaC: 5, powerDeltaW: 50 };

/** Readings are decimals: 20.2 − 20 is 0.19999…, which must count as the 0.2 it is. */
const EPSILON = 1e-9;
const differsBy = (a: number | undefined, b: number | undefined, delta: number): boolean =>
  a === undefined || b === undefined ? a !== b : Math.abs(a - b) >= delta - EPSILON;

export function needsStateWrite(stored: DeviceState | undefined, next: TelemetryMessage, policy: StateRefreshPolicy = DEFAULT_STATE_REFRESH): boolean {
  if (!stored) return true;
  if (Date.parse(next.ts) - Date.parse(stored.ts) >= policy.maxAgeS * 1000) return true;
  if (next.planVersion !== stored.planVersion || next.mode !== stored.mode) return true;
  return (
    differsBy(next.powerW, stored.powerW, policy.powerDeltaW) ||
    differsBy(next.computeW, stored.computeW, policy.powerDeltaW) ||
    differsBy(next.roomC, stored.roomC, policy.roomDeltaC) ||
    differsBy(next.chipC, stored.chipC, policy.chipDeltaC)
  );
}

/** Device time, then sequence: the order in which a device's messages move its state. */
export function compareDeviceOrder(a: { ts: string; seq: number }, b: { ts: string; seq: number }): number {
  return Date.parse(a.ts) - Date.parse(b.ts) || a.seq - b.seq;
}
