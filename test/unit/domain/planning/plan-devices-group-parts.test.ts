import { describe, expect, it } from 'vitest';
import { splitGroup } from '../../../../functions/domain/dr-dispatch/split-group.ts';
import { HORIZON_STEPS, planDevices, type PlanDevicesPorts, type PlanTrigger } from '../../../../functions/domain/planning/plan-devices.ts';
import type { DeviceRecord } from '../../../../schemas/device.ts';
import { generateFleet, SAMPLE_DR_PROGRAM } from '../../../../local/fleet/generate-fleet.ts';
import { EventDetails, type EventDetail } from '../../../../schemas/events.ts';
import { memoryPlanningPorts } from '../../../support/memory-planning-ports.ts';
import type { MemoryGridEventStore } from '../../../support/memory-stores.ts';
import type { RecordingPublisher } from '../../../support/recording-publisher.ts';

const NOW = new Date('2023-01-10T12:07:00Z');
const EVENT_START = '2023-01-11T06:00:00Z';
const hourOf = (k: number) => (12 + k / 4) % 24;
const PRICES = Array.from({ length: HORIZON_STEPS }, (_, k) => (hourOf(k) >= 17 && hourOf(k) < 20 ? 0.35 : hourOf(k) < 6 ? 0.05 : 0.15));
const OUTDOOR = Array.from({ length: HORIZON_STEPS }, (_, k) => -3 + 3 * Math.sin((2 * Math.PI * (hourOf(k) - 9)) / 24));
const rated = (d: DeviceRecord) => Math.max(...d.levels.map((l) => l.powerW));

describe('splitGroup', () => {
  const fleet = generateFleet(1234, 8).map((h, i) => ({ ...h.record, feederId: `F${i % 5}` }));

  it('keeps a group that fits whole, with all of the cap', () => {
    expect(splitGroup(fleet.slice(0, 500), 500)).toEqual([{ devices: fleet.slice(0, 500), capShare: 1 }]);
  });

  it('splits a larger group feeder by feeder into parts that share the cap by rated power', () => {
    const parts = splitGroup(fleet, 500);
    expect(parts.map((p) => p.devices.length)).toEqual([500, 500, 234]);
    expect(parts.flatMap((p) => p.devices.map((d) => d.deviceId)).sort()).toEqual(fleet.map((d) => d.deviceId).sort());
    const total = fleet.reduce((s, d) => s + rated(d), 0);
    for (const part of parts) expect(part.capShare).toBeCloseTo(part.devices.reduce((s, d) => s + rated(d), 0) / total, 12);
    expect(parts.reduce((s, p) => s + p.capShare, 0)).toBeCloseTo(1, 12);
    // Feeder by feeder: each boundary between parts cuts at most one feeder.
    const feeders = parts.map((p) => new Set(p.devices.map((d) => d.feederId)));
    for (let i = 1; i < feeders.length; i++) expect([...feeders[i]!].filter((f) => feeders[i - 1]!.has(f)).length).toBeLessThanOrEqual(1);
  });

  it('refuses a part size that holds no device', () => {
    expect(() => splitGroup(fleet, 0)).toThrow(RangeError);
  });
});

/**
 * A grid event over more heaters than one planning invocation takes: the replan announces the group in parts,
 * each planned on its own with its share of the cap, and together they keep the whole group under it.
 */
describe('an event group larger than a cohort', () => {
  const fleet = generateFleet(640, 12);

  function ports() {
    const { ports: p, events, gridEvents } = memoryPlanningPorts(fleet, { prices: PRICES, outdoorC: OUTDOOR, now: NOW });
    return { p: { ...p, gridEvents }, events, gridEvents };
  }

  const storeCap = (gridEvents: MemoryGridEventStore, capKW: number, modifiedAt: string) =>
    gridEvents.upsert({
      gridEventId: 'evt-big',
      programId: SAMPLE_DR_PROGRAM,
      modifiedAt,
      cancelled: false,
      receivedAt: modifiedAt,
      event: {
        id: 'evt-big',
        programID: SAMPLE_DR_PROGRAM,
        modificationDateTime: modifiedAt,
        intervalPeriod: { start: EVENT_START, duration: 'PT2H' },
        intervals: [{ id: 0, payloads: [{ type: 'IMPORT_CAPACITY_LIMIT', values: [capKW] }] }],
      },
    });

  /** The hourly replan, then every cohort it announced, as plan-devices plans a delivered one. */
  async function replan(p: PlanDevicesPorts, events: RecordingPublisher) {
    events.clear();
    const fanOut = await planDevices({ reason: 'hourly' }, p);
    const cohorts = events.of('PlanCohortRequested') as EventDetail<'PlanCohortRequested'>[];
    const results = [];
    for (const cohort of cohorts) results.push(await planDevices({ ...cohort, cohort: true } as PlanTrigger, p));
    return { fanOut, cohorts, summaries: results.flatMap((r) => r.dr) };
  }

  it('announces the group in parts with their shares of the cap, and the parts together stay under it', async () => {
    const { p, events, gridEvents } = ports();
    // A cap no heater notices first, to learn what the group would draw in the window without the event.
    await storeCap(gridEvents, 1e6, '2023-01-10T11:00:00Z');
    const free = await replan(p, events);
    const baselineKW = free.summaries.reduce((s, d) => s + d.baselineKW!, 0);

    const capKW = Math.round(0.6 * baselineKW);
    await storeCap(gridEvents, capKW, '2023-01-10T12:00:00Z');
    const { fanOut, cohorts, summaries } = await replan(p, events);

    expect(fanOut.fannedOut).toEqual({ cohorts: 2, devices: 640 });
    expect(cohorts.map((c) => c.deviceIds.length)).toEqual([500, 140]);
    for (const cohort of cohorts) expect(EventDetails.PlanCohortRequested.safeParse(cohort).success).toBe(true);
    expect(cohorts.every((c) => c.gridEventId === 'evt-big')).toBe(true);
    expect(cohorts.reduce((s, c) => s + c.capShare!, 0)).toBeCloseTo(1, 9);

    expect(summaries.map((d) => d.gridEventId)).toEqual(['evt-big', 'evt-big']);
    expect(summaries.reduce((s, d) => s + d.targetKW!, 0)).toBeCloseTo(capKW, 6);
    expect(summaries.reduce((s, d) => s + d.plannedKW!, 0)).toBeLessThanOrEqual(capKW * 1.01);
    expect(summaries.reduce((s, d) => s + d.baselineKW!, 0)).toBeGreaterThan(capKW);
  }, 60_000);
});
