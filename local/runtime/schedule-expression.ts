import { wallClock } from '../../functions/domain/time/zoned-time.ts';

/**
 * EventBridge Scheduler expressions on a virtual clock: `rate(n minute|minutes|hour|hours|day|days)` and
 * six-field `cron(minutes hours day-of-month month day-of-week year)` in an IANA time zone, at minute resolution.
 */
export type ScheduleMatcher = (at: Date) => boolean;

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function parseField(field: string, min: number, max: number, names: string[] = [], nameBase = min): (v: number) => boolean {
  if (field === '*' || field === '?') return () => true;
  const value = (s: string): number => {
    const named = names.indexOf(s.toUpperCase());
    const n = named >= 0 ? named + nameBase : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${s}" is not in ${min}-${max}`);
    return n;
  };
  const allowed = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`step "${stepText}" must be a positive whole number`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range!.includes('-')) {
      const [a, b] = range!.split('-');
      [lo, hi] = [value(a!), value(b!)];
    } else {
      lo = value(range!);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) allowed.add(v);
  }
  return (v) => allowed.has(v);
}

/** The zone's wall clock at an instant, with AWS cron's day-of-week numbering (1 = Sunday). */
function localParts(at: Date, timeZone: string) {
  const wall = wallClock(at.getTime(), timeZone);
  const [year, month, day, hour, minute] = wall.split(/[-T:]/).map(Number) as [number, number, number, number, number];
  return { year, month, day, hour, minute, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1 };
}

const RATE_UNITS: Record<string, number> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };

export function parseScheduleExpression(expression: string, timeZone: string): ScheduleMatcher {
  const rate = /^rate\((\d+) (\w+)\)$/.exec(expression);
  if (rate) {
    const minutes = Number(rate[1]) * (RATE_UNITS[rate[2]!] ?? NaN);
    if (!(minutes > 0)) throw new Error(`${expression}: unit must be minute(s), hour(s) or day(s)`);
    return (at) => Math.floor(at.getTime() / 60_000) % minutes === 0;
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  const fields = cron?.[1]!.trim().split(/\s+/);
  if (!fields || fields.length !== 6) throw new Error(`${expression}: expected rate(...) or cron() with six fields`);
  const [mi, ho, dom, mo, dow, yr] = fields as [string, string, string, string, string, string];
  const minute = parseField(mi, 0, 59);
  const hour = parseField(ho, 0, 23);
  const dayOfMonth = parseField(dom, 1, 31);
  const month = parseField(mo, 1, 12, MONTH_NAMES, 1);
  const dayOfWeek = parseField(dow, 1, 7, DAY_NAMES, 1);
  const year = parseField(yr, 1970, 2199);
  return (at) => {
    const p = localParts(at, timeZone);
    return minute(p.minute) && hour(p.hour) && dayOfMonth(p.day) && month(p.month) && dayOfWeek(p.weekday) && year(p.year);
  };
}

/** Minutes in (after, upTo] at which the matcher fires. */
export function firingsBetween(matcher: ScheduleMatcher, after: Date, upTo: Date): Date[] {
  const out: Date[] = [];
  const first = Math.floor(after.getTime() / 60_000) + 1;
  const last = Math.floor(upTo.getTime() / 60_000);
  for (let m = first; m <= last; m++) {
    const at = new Date(m * 60_000);
    if (matcher(at)) out.push(at);
  }
  return out;
}
