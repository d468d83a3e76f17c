import type { PlanDocument } from '../../../schemas/shadow.ts';
import { planPowerAt } from '../shadow/plan-steps.ts';
import type { Alignment } from './classify-alignment.ts';

export interface FleetSnapshotPolicy {
  /**
   * A plan that runs out sooner than this is expiring soon. Held plans are renewed once less than a day of them
   * remains and the planner runs hourly, so a device this close to its plan's end has missed many replans or
   * pushes in a row; when its plan does run out, the device falls back to its local thermostat.
   */
  expiryWarningS: number;
}

export const DEFAULT_FLEET_SNAPSHOT_POLICY: FleetSnapshotPolicy = { expiryWarningS: 6 * 3600 };

/** What reconciliation knows of one device that the fleet's totals need. */
export interface DeviceSnapshot {
  alignment: Alignment;
  /** Power of the latest telemetry, when the device ever reported. */
  measuredW?: number;
  /** The plan the device should execute (the one its shadow holds, or a newer one it reports), and when it was made. */
  plan?: { document: PlanDocument; createdAt: string };
}

/** Running totals over the devices seen so far. */
export interface FleetSnapshot {
  /** Devices not offline. */
  online: number;
  /** Σ latest telemetry power of the online devices. */
  measuredW: number;
  /** Σ planned power at `now` of every device whose plan covers `now`, online or not. */
  plannedNowW: number;
  /** Devices without a plan, or whose plan runs out within the policy's warning time (ran out included). */
  plansExpiringSoon: number;
  /** Creation time of the oldest plan seen, in ms; undefined when no device has a plan. */
  oldestPlanCreatedMs?: number;
}

/** The fleet's totals as reconciliation reports them. */
export interface FleetSummary {
  online: number;
  measuredKW: number;
  plannedNowKW: number;
  plansExpiringSoon: number;
  /** Undefined when no device has a plan. */
  oldestPlanAgeHours?: number;
}

export const emptyFleetSnapshot = (): FleetSnapshot => ({ online: 0, measuredW: 0, plannedNowW: 0, plansExpiringSoon: 0 });

/** Adds one device to the running totals at `now`. Pure but for updating `snapshot`. */
export function addToFleetSnapshot(snapshot: FleetSnapshot, device: DeviceSnapshot, now: Date, policy: FleetSnapshotPolicy = DEFAULT_FLEET_SNAPSHOT_POLICY): void {
  const nowMs = now.getTime();
  if (device.alignment !== 'offline') {
    snapshot.online++;
    snapshot.measuredW += device.measuredW ?? 0;
  }
  const plan = device.plan;
  if (!plan || Date.parse(plan.document.validUntil) - nowMs < policy.expiryWarningS * 1000) snapshot.plansExpiringSoon++;
  if (!plan) return;
  snapshot.plannedNowW += planPowerAt(plan.document, nowMs) ?? 0;
  const createdMs = Date.parse(plan.createdAt);
  if (snapshot.oldestPlanCreatedMs === undefined || createdMs < snapshot.oldestPlanCreatedMs) snapshot.oldestPlanCreatedMs = createdMs;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Totals in the units the metrics use: kW to the watt, hours to the minute or so. */
export function summariseFleet(snapshot: FleetSnapshot, now: Date): FleetSummary {
  return {
    online: snapshot.online,
    measuredKW: round(snapshot.measuredW / 1000, 3),
    plannedNowKW: round(snapshot.plannedNowW / 1000, 3),
    plansExpiringSoon: snapshot.plansExpiringSoon,
    ...(snapshot.oldestPlanCreatedMs !== undefined ? { oldestPlanAgeHours: round((now.getTime() - snapshot.oldestPlanCreatedMs) / 3_600_000, 2) } : {}),
  };
}
