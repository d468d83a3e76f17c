import type { ComfortPeriod } from '../../../schemas/shadow.ts';
import { isKnownTimeZone, wallClock } from '../time/zoned-time.ts';

/**
 * A household's comfort schedule — periods starting at a local wall-clock time, each lasting until the next
 * one starts and the last wrapping over midnight to the first — turned into a band per planning step.
 *
 * Local time comes from Intl for each instant, never from adding a fixed offset, so days of 23 and 25 hours
 * come out right: in the hour that repeats in autumn both passes get the schedule of that wall-clock time,
 * and a period starting inside the hour skipped in spring begins when the clock jumps past it.
 */
export interface ComfortBand {
  minC: number[];
  maxC: number[];
}

/** Minutes since local midnight (0–1439) on the wall clock of `timezone` at `instant`. */
export function localMinuteOfDay(instant: Date, timezone: string): number {
  if (!isKnownTimeZone(timezone)) throw new RangeError(`unknown time zone "${timezone}"; expected an IANA name such as Europe/Copenhagen`);
  const wall = wallClock(instant.getTime(), timezone);
  return Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16));
}

function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

type Period = Pick<ComfortPeriod, 'from' | 'minC' | 'maxC'>;

/** The period in force at a local minute of the day; of two periods starting at the same time the later-listed one wins. */
function periodAt(sorted: readonly Period[], minuteOfDay: number): Period {
  let current = sorted[sorted.length - 1]!;
  for (const period of sorted) {
    if (minuteOf(period.from) <= minuteOfDay) current = period;
    else break;
  }
  return current;
}

function sortByStart(schedule: readonly Period[]): Period[] {
  if (schedule.length === 0) throw new RangeError('a comfort schedule needs at least one period');
  return [...schedule].sort((x, y) => minuteOf(x.from) - minuteOf(y.from));
}

/** The band in force at one instant. */
export function comfortAt(schedule: readonly Period[], timezone: string, instant: Date): { minC: number; maxC: number } {
  const { minC, maxC } = periodAt(sortByStart(schedule), localMinuteOfDay(instant, timezone));
  return { minC, maxC };
}

export interface ComfortBandRequest {
  schedule: readonly Period[];
  timezone: string;
  start: Date;
  steps: number;
  stepMinutes: number;
}

/**
 * The band for each of `steps` steps from `start`. A planning problem's band bounds the temperature at the
 * END of a step, so step t takes the schedule at the instant it ends: a 07:00 period asks for its band to
 * be reached by 07:00, and a 22:00 setback relaxes the temperature due at 22:00.
 */
export function resolveComfortBand({ schedule, timezone, start, steps, stepMinutes }: ComfortBandRequest): ComfortBand {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a non-negative integer; got ${steps}`);
  if (!(stepMinutes > 0)) throw new RangeError(`stepMinutes must be positive; got ${stepMinutes}`);
  const sorted = sortByStart(schedule);
  const band: ComfortBand = { minC: [], maxC: [] };
  for (let t = 0; t < steps; t++) {
    const stepEnd = new Date(start.getTime() + (t + 1) * stepMinutes * 60_000);
    const period = periodAt(sorted, localMinuteOfDay(stepEnd, timezone));
    band.minC.push(period.minC);
    band.maxC.push(period.maxC);
  }
  return band;
}
