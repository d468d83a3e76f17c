import type { TimeOfUseSchedule } from '../../../schemas/tariff.ts';
import { naiveTimestampMs } from '../../domain/time/naive-timestamp.ts';
import { wallClock } from '../../domain/time/zoned-time.ts';
import { MINUTE_MS } from '../market/time.ts';

/**
 * Values that follow the local clock — grid fees, AI-workload prices — as schedules of periods: each period
 * starts at a local `HH:MM` and holds until the next one starts, the last wrapping to the first (within the
 * same date's schedule). Schedules are tried in order; the first whose months (1–12) and ISO weekdays
 * (1 = Monday) match the local date applies.
 */
interface CompiledSchedule {
  months?: ReadonlySet<number>;
  weekdays?: ReadonlySet<number>;
  periods: { start: number; value: number }[];
}

const minuteOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function compileSchedules(schedules: readonly TimeOfUseSchedule[]): CompiledSchedule[] {
  if (schedules.length === 0) throw new Error('a time-of-use configuration needs at least one schedule');
  return schedules.map((s) => ({
    months: s.months && new Set(s.months),
    weekdays: s.weekdays && new Set(s.weekdays),
    // Stable sort: of two periods starting at the same minute the later-listed wins (as in comfort schedules).
    periods: s.periods.map((p) => ({ start: minuteOf(p.from), value: p.perKWh })).sort((a, b) => a.start - b.start),
  }));
}

/** The value at a local wall-clock minute, encoded as a naive UTC timestamp (so date parts come from getUTC*). */
function valueAt(schedules: readonly CompiledSchedule[], wallMs: number): number {
  const d = new Date(wallMs);
  const month = d.getUTCMonth() + 1;
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const schedule = schedules.find((s) => (!s.months || s.months.has(month)) && (!s.weekdays || s.weekdays.has(weekday))) ?? schedules[schedules.length - 1]!;
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  let value = schedule.periods[schedule.periods.length - 1]!.value;
  for (const p of schedule.periods) {
    if (p.start <= minute) value = p.value;
    else break;
  }
  return value;
}

const wallMsOf = (ms: number, timezone: string): number => naiveTimestampMs(wallClock(ms, timezone))!;

/**
 * Per step, the time-weighted mean of the schedule over the step's minutes on the local clock of `timezone`:
 * a 60-minute step across a 17:30 change gets the mix, DST days shift the windows with the clock (as bills
 * do), and a step under one value gets exactly that value. Intl supplies local time; nothing else is read.
 */
export function timeOfUseSteps(schedules: readonly CompiledSchedule[], start: Date, steps: number, stepMinutes: number, timezone: string): number[] {
  const stepMs = stepMinutes * MINUTE_MS;
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const fromMs = start.getTime() + i * stepMs;
    const wallFrom = wallMsOf(fromMs, timezone);
    // Within a step the wall clock runs with UTC unless the offset changes inside it (a DST change).
    const sameOffset = wallMsOf(fromMs + stepMs - MINUTE_MS, timezone) - wallFrom === stepMs - MINUTE_MS;
    const minutesAt = new Map<number, number>();
    for (let m = 0; m < stepMinutes; m++) {
      const v = valueAt(schedules, sameOffset ? wallFrom + m * MINUTE_MS : wallMsOf(fromMs + m * MINUTE_MS, timezone));
      minutesAt.set(v, (minutesAt.get(v) ?? 0) + 1);
    }
    // Minutes per value: a sum of 15 equal floats divided by 15 is not always that float.
    out.push(minutesAt.size === 1 ? minutesAt.keys().next().value! : [...minutesAt].reduce((sum, [v, n]) => sum + v * n, 0) / stepMinutes);
  }
  return out;
}
