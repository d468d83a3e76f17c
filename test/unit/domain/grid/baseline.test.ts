import { describe, expect, it } from 'vitest';
import { adjustmentWindow, baselineReadWindows, deviceBaseline, sameClockTimeDaysBefore, type BaselineQuestion } from '../../../../functions/domain/grid/baseline.ts';
import type { PowerSample, TimeWindow } from '../../../../functions/domain/grid/measured-energy.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Copenhagen';
// 17:00–19:00 Copenhagen (CET) on 2026-01-20, two hourly intervals.
const START = Date.parse('2026-01-20T16:00:00Z');
const INTERVALS: TimeWindow[] = [
  { startMs: START, endMs: START + HOUR },
  { startMs: START + HOUR, endMs: START + 2 * HOUR },
];
const question = (extra: Partial<BaselineQuestion> = {}): BaselineQuestion => ({ intervals: INTERVALS, timeZone: ZONE, programEvents: [], ...extra });

interface Profile {
  /** Power in the event window on the day `k` days before the event (k = 0: the event day). */
  eventW: (k: number) => number;
  adjustmentW: (k: number) => number;
  preheatW: number;
  otherW: number;
  /** Days of history before the event day. */
  historyDays: number;
  /** Time with no telemetry. */
  gaps?: TimeWindow[];
}

/** A sample every 5 minutes from `historyDays` before the event to its end, power by where the instant falls. */
function telemetry(p: Profile): PowerSample[] {
  const samples: PowerSample[] = [];
  for (let t = START - p.historyDays * DAY - 6 * HOUR; t < START + 2 * HOUR; t += 5 * MIN) {
    if (p.gaps?.some((g) => t >= g.startMs && t < g.endMs)) continue;
    // Days end at the event's end (19:00 local), so each day holds its adjustment window, pre-heat hour and event window.
    const daysBack = Math.floor((START + 2 * HOUR - 1 - t) / DAY);
    const local = t + daysBack * DAY;
    const powerW =
      local >= START && local < START + 2 * HOUR
        ? p.eventW(daysBack)
        : local >= START - 4 * HOUR && local < START - HOUR
          ? p.adjustmentW(daysBack)
          : local >= START - HOUR && local < START && daysBack === 0
            ? p.preheatW
            : p.otherW;
    samples.push({ atMs: t, powerW });
  }
  return samples;
}

const base: Profile = { eventW: (k) => (k === 0 ? 200 : 1000 + 10 * k), adjustmentW: (k) => (k === 0 ? 550 : 500), preheatW: 3000, otherW: 300, historyDays: 21 };
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('10-of-10 baseline with same-day adjustment', () => {
  it('averages the 10 most recent days, scaled by the adjustment window ratio; the pre-heat hour does not count', () => {
    const b = deviceBaseline(question(), telemetry(base));
    expect(b.days).toEqual(range(10, 19).reverse().map((d) => `2026-01-${String(d).padStart(2, '0')}`));
    const unadjusted = mean(range(1, 10).map((k) => 1000 + 10 * k)) / 1000;
    expect(b.unadjustedKWh![0]).toBeCloseTo(unadjusted, 9);
    expect(b.unadjustedKWh![1]).toBeCloseTo(unadjusted, 9);
    // 550 W against 500 W over 13:00–16:00 local; 3 kW of pre-heat in 16:00–17:00 is left out.
    expect(b.adjustment).toEqual({ ratio: expect.closeTo(1.1, 9), uncappedRatio: expect.closeTo(1.1, 9), capped: false });
    expect(b.intervalsKWh![0]).toBeCloseTo(unadjusted * 1.1, 9);
    expect(b.skipped).toEqual([]);
  });

  it('skips days with another event of the program, and days whose telemetry has gaps, and looks further back', () => {
    const day3Event = { startMs: START - 3 * DAY - 8 * HOUR, endMs: START - 3 * DAY - 7 * HOUR };
    const day2Gap = { startMs: START - 2 * DAY + 20 * MIN, endMs: START - 2 * DAY + 50 * MIN };
    const b = deviceBaseline(question({ programEvents: [day3Event] }), telemetry({ ...base, gaps: [day2Gap] }));
    expect(b.skipped).toEqual([
      { date: '2026-01-18', reason: 'incomplete-telemetry' },
      { date: '2026-01-17', reason: 'program-event' },
    ]);
    expect(b.days).toHaveLength(10);
    expect(b.days.at(-1)).toBe('2026-01-08');
    expect(b.unadjustedKWh![0]).toBeCloseTo(mean([1, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((k) => 1000 + 10 * k)) / 1000, 9);
  });

  it('uses the days there are when history is short, and says how many', () => {
    const b = deviceBaseline(question(), telemetry({ ...base, historyDays: 6 }));
    expect(b.days).toHaveLength(6);
    expect(b.skipped.every((s) => s.reason === 'incomplete-telemetry')).toBe(true);
    expect(b.skipped).toHaveLength(14);
    expect(b.unadjustedKWh![0]).toBeCloseTo(mean(range(1, 6).map((k) => 1000 + 10 * k)) / 1000, 9);
  });

  it('has no baseline at all without history, rather than an invented one', () => {
    const b = deviceBaseline(question(), telemetry({ ...base, historyDays: 0 }));
    expect(b.intervalsKWh).toBeUndefined();
    expect(b.adjustment).toEqual({ ratio: 1, capped: false, note: 'no-baseline-days' });
  });

  it('caps the adjustment at ±20 %', () => {
    const up = deviceBaseline(question(), telemetry({ ...base, adjustmentW: (k) => (k === 0 ? 1000 : 500) }));
    expect(up.adjustment).toEqual({ ratio: 1.2, uncappedRatio: 2, capped: true });
    const down = deviceBaseline(question(), telemetry({ ...base, adjustmentW: (k) => (k === 0 ? 100 : 500) }));
    expect(down.adjustment.ratio).toBe(0.8);
  });

  it('does not adjust when the event day lacks telemetry in the window or the baseline days drew nothing there', () => {
    const gap = { startMs: START - 3 * HOUR, endMs: START - 2 * HOUR };
    expect(deviceBaseline(question(), telemetry({ ...base, gaps: [gap] })).adjustment).toEqual({ ratio: 1, capped: false, note: 'event-day-telemetry-incomplete' });
    expect(deviceBaseline(question(), telemetry({ ...base, adjustmentW: (k) => (k === 0 ? 550 : 0) })).adjustment).toEqual({ ratio: 1, capped: false, note: 'baseline-zero-in-window' });
  });

  it('compares the same wall-clock times across a DST change', () => {
    const atFive = Date.parse('2026-03-30T15:00:00Z'); // 17:00 CEST
    expect(new Date(sameClockTimeDaysBefore(atFive, 1, ZONE)).toISOString()).toBe('2026-03-29T15:00:00.000Z'); // 17:00 CEST
    expect(new Date(sameClockTimeDaysBefore(atFive, 2, ZONE)).toISOString()).toBe('2026-03-28T16:00:00.000Z'); // 17:00 CET
  });

  it('names the telemetry to read: the event day and every candidate day not ruled out, opened by the hold', () => {
    const day3Event = { startMs: START - 3 * DAY, endMs: START - 3 * DAY + HOUR };
    const windows = baselineReadWindows(question({ programEvents: [day3Event] }));
    expect(windows).toHaveLength(1 + 19);
    const adj = adjustmentWindow(START);
    expect(windows[0]).toEqual({ startMs: adj.startMs - 15 * MIN, endMs: START + 2 * HOUR });
    expect(adj).toEqual({ startMs: START - 4 * HOUR, endMs: START - HOUR });
  });
});
