import type { PlanDocument, PowerLevel } from '../../../schemas/shadow.ts';
import type { TelemetryMessage } from '../../../schemas/telemetry.ts';
import { highestLevelAtMost } from '../planning/power-levels.ts';
import { planPowerAt } from '../shadow/plan-steps.ts';

/** How a device stands against the plan its shadow holds. */
export type Alignment = 'following' | 'lagging' | 'diverged' | 'offline';

export interface AlignmentInput {
  now: Date;
  levels: readonly PowerLevel[];
  fallback: PlanDocument['fallback'];
  /** The device's latest telemetry. */
  state?: Pick<TelemetryMessage, 'ts' | 'powerW' | 'roomC' | 'planVersion' | 'mode'>;
  /** From lifecycle events. */
  presence?: { online: boolean; at: string };
  /** The plan the shadow holds and when it was put there. */
  desired?: { plan: PlanDocument; since: string };
}

export interface AlignmentPolicy {
  /** No telemetry for this long: the device is offline (and counted as silent), whatever presence says. */
  silentAfterS: number;
  /** Time a device has to take a newly pushed plan up before it counts as lagging. */
  lagGraceS: number;
  /** Measured power may differ from the planned level by this much (meter noise). */
  powerToleranceW: number;
  /** A room this far below the fallback minimum while the plan draws nothing has left the plan's assumptions. */
  coldMarginK: number;
}

export const DEFAULT_ALIGNMENT_POLICY: AlignmentPolicy = { silentAfterS: 30 * 60, lagGraceS: 15 * 60, powerToleranceW: 50, coldMarginK: 1 };

export interface AlignmentVerdict {
  alignment: Alignment;
  reason: string;
  /** No telemetry within `silentAfterS`. */
  silent: boolean;
  /** A new plan from the device's actual state would help. */
  replan: boolean;
}

const verdict = (alignment: Alignment, reason: string, extra: Partial<AlignmentVerdict> = {}): AlignmentVerdict => ({
  alignment,
  reason,
  silent: false,
  replan: false,
  ...extra,
});

/**
 * Following, lagging, diverged or offline, from the latest telemetry, presence and the plan in the shadow. Pure.
 *
 * - offline: never reported, silent past `silentAfterS`, or disconnected after its last telemetry;
 * - lagging: still reports an older plan version (or none) `lagGraceS` after a plan that covers now was pushed;
 * - diverged: the household took over (mode manual/off), the plan ran out, or the device executes the plan's
 *   version but draws another level than planned, or the room is far colder than the plan assumed;
 *   the last three ask for a replan from the device's actual state;
 * - following: otherwise, the safety override included (the contract puts safety above the plan).
 */
export function classifyAlignment(input: AlignmentInput, policy: AlignmentPolicy = DEFAULT_ALIGNMENT_POLICY): AlignmentVerdict {
  const { state, presence, desired, now } = input;
  if (!state) return verdict('offline', 'no telemetry ever', { silent: true });
  const stateMs = Date.parse(state.ts);
  const silentS = (now.getTime() - stateMs) / 1000;
  if (silentS > policy.silentAfterS) return verdict('offline', `no telemetry for ${Math.round(silentS / 60)} min`, { silent: true });
  if (presence && !presence.online && Date.parse(presence.at) >= stateMs) return verdict('offline', `disconnected at ${presence.at}`);

  if (state.mode === 'manual' || state.mode === 'off') return verdict('diverged', `the household set mode ${state.mode}`);
  if (!desired) return verdict('following', 'no plan pushed yet: the fallback band is the contract');
  const { plan } = desired;
  if (Date.parse(plan.validUntil) <= stateMs) return verdict('diverged', `plan v${plan.v} ran out at ${plan.validUntil}`, { replan: true });

  const reported = state.planVersion;
  if (reported === undefined || reported < plan.v) {
    const pushedAgoS = (stateMs - Date.parse(desired.since)) / 1000;
    if (state.mode === 'safety') return verdict('following', 'safety override');
    if (pushedAgoS < policy.lagGraceS) return verdict('following', `plan v${plan.v} pushed ${Math.max(0, Math.round(pushedAgoS))} s before the last report`);
    return verdict('lagging', `reports ${reported === undefined ? `mode ${state.mode ?? 'unknown'}` : `v${reported}`} while v${plan.v} is in its shadow since ${desired.since}`);
  }
  if (reported > plan.v) return verdict('following', `reports v${reported}, newer than the v${plan.v} recorded`);
  if (state.mode === 'safety') return verdict('following', 'safety override');

  const plannedW = planPowerAt(plan, stateMs);
  if (plannedW === undefined) return verdict('following', 'the plan does not cover the last report');
  // The reference firmware draws the highest level at or below the planned power.
  const expectedW = highestLevelAtMost(input.levels, plannedW).powerW;
  if (Math.abs(state.powerW - expectedW) > policy.powerToleranceW) {
    return verdict('diverged', `draws ${state.powerW} W where v${plan.v} plans ${expectedW} W`, { replan: true });
  }
  if (expectedW === 0 && state.roomC < input.fallback.minC - policy.coldMarginK) {
    return verdict('diverged', `room at ${state.roomC} °C, below the fallback band, while v${plan.v} draws nothing`, { replan: true });
  }
  return verdict('following', `executes v${plan.v}`);
}
