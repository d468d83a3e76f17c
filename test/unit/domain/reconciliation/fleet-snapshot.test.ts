import { describe, expect, it } from 'vitest';
import {
  addToFleetSnapshot,
  DEFAULT_FLEET_SNAPSHOT_POLICY,
  emptyFleetSnapshot,
  summariseFleet,
  type DeviceSnapshot,
} from '../../../../functions/domain/reconciliation/fleet-snapshot.ts';
import type { PlanDocument } from '../../../../schemas/shadow.ts';

const NOW = new Date('2023-01-10T12:10:00Z');
const HOUR = 3_600_000;
/** 15-minute steps from 11:00; the step holding 12:10 (12:00–12:15) is the fifth. */
const plan = (over: Partial<PlanDocument> = {}): PlanDocument => ({
  v: 3,
  start: '2023-01-10T11:00:00.000Z',
  stepS: 900,
  powerW: [800, 800, 0, 0, 1200, ...Array.from({ length: 187 }, () => 400)],
  validUntil: new Date(Date.parse('2023-01-10T11:00:00Z') + 192 * 900_000).toISOString(),
  fallback: { minC: 18, maxC: 21 },
  ...over,
});
const withPlan = (document: PlanDocument, createdAt = '2023-01-10T11:00:00Z') => ({ document, createdAt });

function summarise(devices: DeviceSnapshot[]) {
  const snapshot = emptyFleetSnapshot();
  for (const device of devices) addToFleetSnapshot(snapshot, device, NOW);
  return summariseFleet(snapshot, NOW);
}

describe('fleet snapshot', () => {
  it('an empty fleet: nothing online, no power, no plan age', () => {
    expect(summarise([])).toEqual({ online: 0, measuredKW: 0, plannedNowKW: 0, plansExpiringSoon: 0 });
  });

  it('measured power counts online devices only; planned power counts the current step of every plan, online or not', () => {
    const out = summarise([
      { alignment: 'following', measuredW: 1190, plan: withPlan(plan()) },
      { alignment: 'diverged', measuredW: 2000, plan: withPlan(plan()) },
      // Offline: its last telemetry is not what it draws now; its plan still says what it should draw.
      { alignment: 'offline', measuredW: 900, plan: withPlan(plan()) },
      { alignment: 'lagging', measuredW: 400 },
    ]);
    expect(out).toMatchObject({ online: 3, measuredKW: 3.59, plannedNowKW: 3.6 });
  });

  it('a plan that does not cover now adds no planned power', () => {
    const later = plan({ start: '2023-01-10T13:00:00.000Z' });
    expect(summarise([{ alignment: 'following', measuredW: 0, plan: withPlan(later) }]).plannedNowKW).toBe(0);
  });

  it('plans expiring soon: no plan, or one that runs out within the warning time (ran out included)', () => {
    const until = (hoursFromNow: number) => plan({ validUntil: new Date(NOW.getTime() + hoursFromNow * HOUR).toISOString() });
    expect(DEFAULT_FLEET_SNAPSHOT_POLICY.expiryWarningS).toBe(6 * 3600);
    const out = summarise([
      { alignment: 'following' },
      { alignment: 'following', plan: withPlan(until(5.9)) },
      { alignment: 'offline', plan: withPlan(until(-1)) },
      { alignment: 'following', plan: withPlan(until(6)) },
      { alignment: 'following', plan: withPlan(until(30)) },
    ]);
    expect(out.plansExpiringSoon).toBe(3);
  });

  it('the oldest plan age is that of the earliest-made plan, in hours', () => {
    const out = summarise([
      { alignment: 'following', plan: withPlan(plan(), '2023-01-10T11:40:00Z') },
      { alignment: 'following', plan: withPlan(plan(), '2023-01-09T12:10:00Z') },
      { alignment: 'following' },
    ]);
    expect(out.oldestPlanAgeHours).toBe(24);
  });

  it('a shorter warning time is a policy choice', () => {
    const snapshot = emptyFleetSnapshot();
    const soon = plan({ validUntil: new Date(NOW.getTime() + 2 * HOUR).toISOString() });
    addToFleetSnapshot(snapshot, { alignment: 'following', plan: withPlan(soon) }, NOW, { expiryWarningS: 3600 });
    expect(snapshot.plansExpiringSoon).toBe(0);
  });
});
