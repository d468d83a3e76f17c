import { naiveTimestampMs } from '../time/naive-timestamp.ts';
import { utcOffsetSeconds, wallClock, zonedWallClockToUtcMs } from '../time/zoned-time.ts';
import { DEFAULT_MAX_HOLD_MS, isComplete, measureEnergy, type PowerSample, type TimeWindow } from './measured-energy.ts';

/**
 * BASELINE: what a heater would have drawn in each interval of an event had there been no event.
 *
 * Method ("10-of-10 with same-day adjustment", the meter-based day-matching baseline CAISO settles proxy
 * demand resources with, here per device from its own telemetry):
 * 1. Baseline days: going back day by day from the event day (at most `maxLookbackDays`, 20), take the
 *    `days` (10) most recent days that (a) had no other event of the same program — a day is out when any
 *    such event, widened by the pre-heat hour before it, touches the local calendar day(s) the event's
 *    analysis window falls on — and (b) have complete telemetry over every interval and the adjustment
 *    window. Days are local calendar days in the device's time zone, so "the same interval" means the same
 *    wall-clock times (across a DST change too). Fewer qualifying days: those that exist are used and the
 *    count is reported; none: no baseline for that device (never an invented one).
 * 2. Unadjusted baseline per interval: the mean, over the baseline days, of the energy the device drew in the
 *    same wall-clock window on that day (energy integrated from telemetry, `measured-energy.ts`).
 * 3. Same-day adjustment: ratio of the energy actually drawn on the event day in the adjustment window to
 *    the mean over the baseline days of the same window. The window is the `adjustmentWindowMs` (3 h) that
 *    ends `preheatExclusionMs` (1 h) before the event starts: the fleet pre-heats in the last hour, and
 *    counting that would inflate the baseline by the response itself. The ratio is capped to 1 ± 20 %
 *    (`adjustmentCap`). If the event day's window is not fully covered by telemetry, or the baseline days
 *    drew nothing in it, the ratio is 1 and the reason is reported.
 * 4. Baseline per interval = unadjusted × ratio.
 */
export interface BaselineOptions {
  days: number;
  maxLookbackDays: number;
  adjustmentWindowMs: number;
  preheatExclusionMs: number;
  /** The ratio is kept within 1 − cap … 1 + cap. */
  adjustmentCap: number;
  maxHoldMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const BASELINE_DEFAULTS: BaselineOptions = {
  days: 10,
  maxLookbackDays: 20,
  adjustmentWindowMs: 3 * HOUR_MS,
  preheatExclusionMs: HOUR_MS,
  adjustmentCap: 0.2,
  maxHoldMs: DEFAULT_MAX_HOLD_MS,
};

export const BASELINE_METHOD = '10-of-10 with same-day adjustment';

export interface BaselineQuestion {
  /** The event's intervals, in order. */
  intervals: readonly TimeWindow[];
  /** IANA zone of the device: its days and clock times. */
  timeZone: string;
  /** Every other event of the same program that was not cancelled: the days they touch are no baseline days. */
  programEvents: readonly TimeWindow[];
  options?: Partial<BaselineOptions>;
}

export interface SkippedDay {
  date: string;
  reason: 'program-event' | 'incomplete-telemetry';
}

export type AdjustmentNote = 'event-day-telemetry-incomplete' | 'baseline-zero-in-window' | 'no-baseline-days';

export interface DeviceBaseline {
  /** Adjusted baseline per interval, kWh; absent when no day qualified. */
  intervalsKWh?: number[];
  unadjustedKWh?: number[];
  /** Local dates averaged, most recent first. */
  days: string[];
  /** Days looked at and not used, with why. */
  skipped: SkippedDay[];
  adjustment: { ratio: number; uncappedRatio?: number; capped: boolean; note?: AdjustmentNote };
}

const withDefaults = (options?: Partial<BaselineOptions>): BaselineOptions => ({ ...BASELINE_DEFAULTS, ...options });

/** The instant `days` local days before `ms` at the same wall-clock time. */
export function sameClockTimeDaysBefore(ms: number, days: number, timeZone: string): number {
  const wallMs = ms + utcOffsetSeconds(ms, timeZone) * 1000;
  return zonedWallClockToUtcMs(wallMs - days * DAY_MS, timeZone);
}

const localDate = (ms: number, timeZone: string): string => wallClock(ms, timeZone).slice(0, 10);

function localDayStartMs(date: string, timeZone: string): number {
  return zonedWallClockToUtcMs(naiveTimestampMs(`${date}T00:00`)!, timeZone);
}

const nextDate = (date: string): string => new Date(naiveTimestampMs(`${date}T00:00`)! + DAY_MS).toISOString().slice(0, 10);

/** The window the same-day adjustment compares: `adjustmentWindowMs` ending `preheatExclusionMs` before the start. */
export function adjustmentWindow(eventStartMs: number, options?: Partial<BaselineOptions>): TimeWindow {
  const o = withDefaults(options);
  const endMs = eventStartMs - o.preheatExclusionMs;
  return { startMs: endMs - o.adjustmentWindowMs, endMs };
}

interface DayWindows {
  date: string;
  intervals: TimeWindow[];
  adjustment: TimeWindow;
  /** From the adjustment window's start to the last interval's end. */
  analysis: TimeWindow;
}

function dayWindows(question: BaselineQuestion, daysBefore: number, o: BaselineOptions): DayWindows {
  const shift = (ms: number) => (daysBefore === 0 ? ms : sameClockTimeDaysBefore(ms, daysBefore, question.timeZone));
  const shiftWindow = (w: TimeWindow): TimeWindow => ({ startMs: shift(w.startMs), endMs: shift(w.endMs) });
  const eventStartMs = Math.min(...question.intervals.map((w) => w.startMs));
  const eventEndMs = Math.max(...question.intervals.map((w) => w.endMs));
  const adjustment = shiftWindow(adjustmentWindow(eventStartMs, o));
  return {
    date: localDate(shift(eventStartMs), question.timeZone),
    intervals: question.intervals.map(shiftWindow),
    adjustment,
    analysis: { startMs: adjustment.startMs, endMs: shift(eventEndMs) },
  };
}

/** True when another event of the program (with its pre-heat hour) touches the local days of the window. */
function touchedByProgramEvent(analysis: TimeWindow, question: BaselineQuestion, o: BaselineOptions): boolean {
  const firstDay = localDate(analysis.startMs, question.timeZone);
  const lastDay = localDate(analysis.endMs - 1, question.timeZone);
  const fromMs = localDayStartMs(firstDay, question.timeZone);
  const toMs = localDayStartMs(nextDate(lastDay), question.timeZone);
  return question.programEvents.some((e) => e.startMs - o.preheatExclusionMs < toMs && e.endMs > fromMs);
}

/** Candidate baseline days, most recent first, with those a program event rules out already marked. */
function candidateDays(question: BaselineQuestion, o: BaselineOptions): (DayWindows & { programEvent: boolean })[] {
  return Array.from({ length: o.maxLookbackDays }, (_, i) => {
    const day = dayWindows(question, i + 1, o);
    return { ...day, programEvent: touchedByProgramEvent(day.analysis, question, o) };
  });
}

/**
 * The telemetry the baseline of one device needs: the event day's analysis window and every candidate day's,
 * each opened early by the longest hold so the sample in force at its start is read too.
 */
export function baselineReadWindows(question: BaselineQuestion): TimeWindow[] {
  const o = withDefaults(question.options);
  const days = [dayWindows(question, 0, o), ...candidateDays(question, o).filter((d) => !d.programEvent)];
  return days.map((d) => ({ startMs: d.analysis.startMs - o.maxHoldMs, endMs: d.analysis.endMs }));
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

/** The baseline of one device for an event, from its power samples sorted by time (see the method above). */
export function deviceBaseline(question: BaselineQuestion, samples: readonly PowerSample[]): DeviceBaseline {
  const o = withDefaults(question.options);
  const skipped: SkippedDay[] = [];
  const used: { date: string; intervalsKWh: number[]; adjustmentKWh: number }[] = [];
  for (const day of candidateDays(question, o)) {
    if (used.length >= o.days) break;
    if (day.programEvent) {
      skipped.push({ date: day.date, reason: 'program-event' });
      continue;
    }
    const intervals = day.intervals.map((w) => measureEnergy(samples, w, o.maxHoldMs));
    const adjustment = measureEnergy(samples, day.adjustment, o.maxHoldMs);
    if (![...intervals, adjustment].every(isComplete)) {
      skipped.push({ date: day.date, reason: 'incomplete-telemetry' });
      continue;
    }
    used.push({ date: day.date, intervalsKWh: intervals.map((m) => m.kWh), adjustmentKWh: adjustment.kWh });
  }
  const days = used.map((d) => d.date);
  if (used.length === 0) return { days, skipped, adjustment: { ratio: 1, capped: false, note: 'no-baseline-days' } };

  const unadjustedKWh = question.intervals.map((_, i) => mean(used.map((d) => d.intervalsKWh[i]!)));
  const baselineInWindow = mean(used.map((d) => d.adjustmentKWh));
  const actual = measureEnergy(samples, dayWindows(question, 0, o).adjustment, o.maxHoldMs);
  let adjustment: DeviceBaseline['adjustment'];
  if (!isComplete(actual)) adjustment = { ratio: 1, capped: false, note: 'event-day-telemetry-incomplete' };
  else if (baselineInWindow === 0) adjustment = actual.kWh === 0 ? { ratio: 1, capped: false } : { ratio: 1, capped: false, note: 'baseline-zero-in-window' };
  else {
    const uncappedRatio = actual.kWh / baselineInWindow;
    const ratio = Math.min(1 + o.adjustmentCap, Math.max(1 - o.adjustmentCap, uncappedRatio));
    adjustment = { ratio, uncappedRatio, capped: ratio !== uncappedRatio };
  }
  return { intervalsKWh: unadjustedKWh.map((kWh) => kWh * adjustment.ratio), unadjustedKWh, days, skipped, adjustment };
}
