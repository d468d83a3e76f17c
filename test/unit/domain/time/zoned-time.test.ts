import { describe, expect, it } from 'vitest';
import { wallClock } from '../../../../functions/domain/time/zoned-time.ts';

/** The wall clock straight from Intl, as `wallClock` computes it before remembering it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function intlWallClock(ms: number, timeZone: string): string {
  if (!formatters.has(timeZone)) formatters.set(timeZone, new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }));
  const parts = Object.fromEntries(formatters.get(timeZone)!.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

describe('wallClock, remembered per zone and instant', () => {
  it('answers what Intl answers across both DST changes, asked again and past the memory bound', () => {
    const zones = ['Europe/Copenhagen', 'America/New_York', 'Asia/Kathmandu'];
    const start = Date.parse('2026-03-01T00:00:00Z');
    // 15-minute steps over nine months: more instants than a zone remembers, so it forgets and recomputes.
    const instants = Array.from({ length: 26_000 }, (_, k) => start + k * 15 * 60_000);
    for (const zone of zones) {
      for (const pass of [1, 2]) {
        for (const ms of instants.filter((_, k) => k % (pass * 7) === 0)) expect(wallClock(ms, zone)).toBe(intlWallClock(ms, zone));
      }
    }
    expect(wallClock(Date.parse('2026-10-25T00:30:00Z'), 'Europe/Copenhagen')).toBe('2026-10-25T02:30:00');
    expect(wallClock(Date.parse('2026-10-25T01:30:00Z'), 'Europe/Copenhagen')).toBe('2026-10-25T02:30:00');
  });

  it('still refuses an instant that is not a time', () => {
    expect(() => wallClock(Number.NaN, 'Europe/Copenhagen')).toThrow(RangeError);
  });
});
