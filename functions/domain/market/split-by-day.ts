import { utcDay } from './time.ts';

export interface DaySlice<P> {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  points: P[];
}

/**
 * Groups points by the UTC day their instant falls in, days ascending, points in their given order within a
 * day. Every point lands in exactly one slice, so concatenating the slices gives the input back (for sorted
 * input).
 */
export function splitByUtcDay<P>(points: readonly P[], instantOf: (p: P) => string): DaySlice<P>[] {
  const byDay = new Map<string, P[]>();
  for (const p of points) {
    const ms = Date.parse(instantOf(p));
    if (Number.isNaN(ms)) throw new Error(`cannot split by day: ${JSON.stringify(instantOf(p))} is not an instant`);
    const day = utcDay(ms);
    const slice = byDay.get(day);
    if (slice) slice.push(p);
    else byDay.set(day, [p]);
  }
  return [...byDay.keys()].sort().map((day) => ({ day, points: byDay.get(day)! }));
}
