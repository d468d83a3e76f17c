import { describe, expect, it, vi } from 'vitest';
import type { TwinResult } from '../../local/twin/run-twin.ts';

const FROM = new Date('2023-01-09T23:00:00Z');

/** A fresh module graph per run: the handlers keep their AWS clients per module, as on Lambda, so each local stack needs its own. */
async function twin(withEvent: boolean): Promise<TwinResult> {
  vi.resetModules();
  const { runTwin } = await import('../../local/twin/run-twin.ts');
  const { eventPostedEveningBefore } = await import('../../local/twin/dr-scenario.ts');
  const { SAMPLE_DR_PROGRAM } = await import('../../local/fleet/generate-fleet.ts');
  return runTwin({ devices: 5, days: 2, from: FROM, seed: 1, ...(withEvent ? { drEvent: eventPostedEveningBefore(FROM, SAMPLE_DR_PROGRAM) } : {}) });
}

const fleetKW = (r: TwinResult, from: number, to: number) => {
  const idx = r.series.times.flatMap((t, i) => (t >= from && t < to ? [i] : []));
  return idx.reduce((s, i) => s + r.series.devices.reduce((a, d) => a + d.powerW[i]!, 0), 0) / idx.length / 1000;
};

describe('local fleet twin with a demand-response event', () => {
  it('meets an event posted the evening before: pre-heat, the shed asked for, no comfort lost', async () => {
    const withEvent = await twin(true);
    const without = await twin(false);
    const dr = withEvent.dr!;
    expect(dr.webhookStatus).toBe(200);
    const start = Date.parse(dr.window.start);
    const end = Date.parse(dr.window.end);
    const twoHours = 2 * 3_600_000;
    // SIMPLE level 2: 60 % of the expected load shed over the window.
    const baselineDuring = fleetKW(without, start, end);
    expect(baselineDuring).toBeGreaterThan(1);
    expect(dr.fleetKW.during).toBeLessThanOrEqual(0.4 * baselineDuring * 1.01);
    // Pre-heat: more energy in before the window than the fleet would have drawn.
    expect(dr.fleetKW.before).toBeGreaterThan(fleetKW(without, start - twoHours, start));
    // No comfort lost around the event.
    const discomfortWithout = without.series.devices.reduce(
      (s, d) => s + without.series.times.reduce((k, t, i) => (t >= start - twoHours && t < end + 3 * 3_600_000 ? k + Math.max(0, d.minC[i]! - d.roomC[i]!) * 0.25 : k), 0),
      0,
    );
    expect(dr.discomfortKh).toBeLessThanOrEqual(discomfortWithout + 0.05);
    expect(withEvent.counts.deadLetters + withEvent.counts.telemetryDeadLetters).toBe(0);
  });
});
