import { naiveTimestampMs } from './naive-timestamp.ts';

/** Wall-clock time in an IANA zone, through Intl (no time-zone library needed on Node 20). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Wall clocks already computed, per zone and instant. A replan asks every device of a zone about the same
 * 192 step instants, and Intl formatting costs a few microseconds each: without this a fleet replan spent
 * more time reading clocks than optimising. Bounded: a zone's entries are dropped once it holds this many.
 */
const MAX_REMEMBERED_PER_ZONE = 8192;
const remembered = new Map<string, Map<number, string>>();

/** `YYYY-MM-DDTHH:mm:ss` as a clock in `timeZone` shows the instant. */
export function wallClock(ms: number, timeZone: string): string {
  let zone = remembered.get(timeZone);
  const known = zone?.get(ms);
  if (known !== undefined) return known;
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const wall = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  if (!zone) remembered.set(timeZone, (zone = new Map()));
  else if (zone.size >= MAX_REMEMBERED_PER_ZONE) zone.clear();
  zone.set(ms, wall);
  return wall;
}

/** Seconds the zone's clock is ahead of UTC at the instant (3600 for CET, 7200 for CEST). */
export function utcOffsetSeconds(ms: number, timeZone: string): number {
  const wall = naiveTimestampMs(wallClock(ms, timeZone))!;
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
}

/**
 * The instant a zone's clock shows `wallMs` (a wall-clock time encoded as if UTC). In the autumn hour that
 * happens twice this picks one of the two; in the spring hour that never happens, the instant an hour later.
 */
export function zonedWallClockToUtcMs(wallMs: number, timeZone: string): number {
  const guess = wallMs - utcOffsetSeconds(wallMs, timeZone) * 1000;
  return wallMs - utcOffsetSeconds(guess, timeZone) * 1000;
}

/** True when the string names a time zone Intl knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
