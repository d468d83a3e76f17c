import type { DeviceRecord } from '../../../schemas/device.ts';
import type { EventDetail } from '../../../schemas/events.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { DeviceRegistry, DeviceState, DeviceStateStore, DeviceStatus, DeviceStatusStore, GridEventStore, PlanStore } from '../../ports/stores.ts';
import { planPowerAt } from '../shadow/plan-steps.ts';
import { drDelivery, type DrDelivery, type DrGroupNow } from './dr-delivery.ts';
import { classifyAlignment, DEFAULT_ALIGNMENT_POLICY, type Alignment, type AlignmentInput, type AlignmentPolicy } from './classify-alignment.ts';
import { addToFleetSnapshot, emptyFleetSnapshot, summariseFleet, type FleetSnapshot, type FleetSummary } from './fleet-snapshot.ts';

export interface ReconcileDevicesPorts {
  devices: DeviceRegistry;
  states: DeviceStateStore;
  status: DeviceStatusStore;
  plans: PlanStore;
  events: EventPublisher;
  clock: Clock;
  /** The grid events, to measure delivery against; without it no DR delivery is reported. */
  gridEvents?: Pick<GridEventStore, 'get'>;
}

export interface ReconcileResult {
  /** Each grid event under way now: its target, what its devices draw, the shortfall. */
  dr: DrDelivery[];
  registered: number;
  counts: Record<Alignment, number>;
  silent: number;
  /** Devices whose replan was requested. */
  replanned: string[];
  /** A few examples per alignment other than following, for the log. */
  examples: { deviceId: string; alignment: Alignment; reason: string; planVersion?: number }[];
  /** Devices online, fleet power measured and planned now, plan freshness. */
  fleet: FleetSummary;
}

/** ReplanRequested carries at most this many devices (its schema's limit). */
const REPLAN_COHORT = 500;
/** Reads are batched 100 keys at a time: one BatchGetItem per store per chunk. */
const CHUNK = 100;
const EXAMPLES_PER_ALIGNMENT = 5;

/** The plan version the device should execute: the one its shadow got, or a newer one it reports (the record lags). */
function planToCheck(state: DeviceState | undefined, status: DeviceStatus | undefined): { v: number; since?: string } | undefined {
  const desiredV = status?.desiredPlanV ?? 0;
  const reportedV = state?.planVersion ?? 0;
  if (desiredV === 0 && reportedV === 0) return undefined;
  return desiredV >= reportedV ? { v: desiredV, ...(status?.desiredAt ? { since: status.desiredAt } : {}) } : { v: reportedV, ...(state ? { since: state.ts } : {}) };
}

async function reconcileChunk(
  devices: DeviceRecord[],
  now: Date,
  ports: ReconcileDevicesPorts,
  policy: AlignmentPolicy,
  result: Omit<ReconcileResult, 'fleet' | 'dr'>,
  fleet: FleetSnapshot,
  drGroups: Map<string, DrGroupNow>,
): Promise<void> {
  const ids = devices.map((d) => d.deviceId);
  const [states, statuses] = await Promise.all([ports.states.getMany(ids), ports.status.getMany(ids)]);
  const wanted = devices.flatMap((d) => {
    const check = planToCheck(states.get(d.deviceId), statuses.get(d.deviceId));
    return check ? [{ deviceId: d.deviceId, v: check.v }] : [];
  });
  const plans = wanted.length ? await ports.plans.getMany(wanted) : new Map();
  for (const device of devices) {
    const state = states.get(device.deviceId);
    const status = statuses.get(device.deviceId);
    const check = planToCheck(state, status);
    const stored = plans.get(device.deviceId);
    const planToExecute = check && stored && stored.plan.v === check.v ? stored : undefined;
    const input: AlignmentInput = {
      now,
      levels: device.levels,
      fallback: device.fallback,
      ...(state ? { state } : {}),
      ...(status?.online !== undefined && status.presenceAt ? { presence: { online: status.online, at: status.presenceAt } } : {}),
      ...(planToExecute ? { desired: { plan: planToExecute.plan, since: check?.since ?? planToExecute.createdAt } } : {}),
    };
    const verdict = classifyAlignment(input, policy);
    addToFleetSnapshot(
      fleet,
      {
        alignment: verdict.alignment,
        ...(state ? { measuredW: state.powerW } : {}),
        ...(planToExecute ? { plan: { document: planToExecute.plan, createdAt: planToExecute.createdAt } } : {}),
      },
      now,
    );
    if (planToExecute?.gridEventId) {
      const group = drGroups.get(planToExecute.gridEventId) ?? { measuredW: 0, committedW: 0, ratedW: 0 };
      if (verdict.alignment !== 'offline') group.measuredW += state?.powerW ?? 0;
      group.committedW += planPowerAt(planToExecute.plan, now.getTime()) ?? 0;
      group.ratedW += Math.max(...device.levels.map((l) => l.powerW));
      drGroups.set(planToExecute.gridEventId, group);
    }
    result.counts[verdict.alignment]++;
    if (verdict.silent) result.silent++;
    if (verdict.replan) result.replanned.push(device.deviceId);
    if (verdict.alignment !== 'following' && result.examples.filter((e) => e.alignment === verdict.alignment).length < EXAMPLES_PER_ALIGNMENT) {
      result.examples.push({
        deviceId: device.deviceId,
        alignment: verdict.alignment,
        reason: verdict.reason,
        ...(planToExecute ? { planVersion: planToExecute.plan.v } : {}),
      });
    }
  }
}

/**
 * Every registered device against the plan its shadow holds, a registry page at a time: counted by alignment,
 * silent devices counted, the fleet's power and plan freshness totalled, and one ReplanRequested per 500
 * devices that diverged in a way a new plan fixes.
 */
export async function reconcileDevices(ports: ReconcileDevicesPorts, policy: AlignmentPolicy = DEFAULT_ALIGNMENT_POLICY): Promise<ReconcileResult> {
  const now = ports.clock.now();
  const result: Omit<ReconcileResult, 'fleet' | 'dr'> = {
    registered: 0,
    counts: { following: 0, lagging: 0, diverged: 0, offline: 0 },
    silent: 0,
    replanned: [],
    examples: [],
  };
  const fleet = emptyFleetSnapshot();
  const drGroups = new Map<string, DrGroupNow>();
  for await (const page of ports.devices.pages()) {
    result.registered += page.length;
    for (let i = 0; i < page.length; i += CHUNK) await reconcileChunk(page.slice(i, i + CHUNK), now, ports, policy, result, fleet, drGroups);
  }
  const gridEvents = ports.gridEvents;
  const records = gridEvents ? (await Promise.all([...drGroups.keys()].map((id) => gridEvents.get(id)))).flatMap((r) => r ?? []) : [];
  const cohorts: EventDetail<'ReplanRequested'>[] = [];
  for (let i = 0; i < result.replanned.length; i += REPLAN_COHORT) {
    cohorts.push({ reason: 'reconciliation', deviceIds: result.replanned.slice(i, i + REPLAN_COHORT) });
  }
  if (cohorts.length) await ports.events.publish('ReplanRequested', cohorts);
  return { ...result, fleet: summariseFleet(fleet, now), dr: drDelivery(drGroups, records, now) };
}
