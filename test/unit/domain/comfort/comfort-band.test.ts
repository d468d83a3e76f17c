import { describe, expect, it } from 'vitest';
import { comfortAt, localMinuteOfDay, resolveComfortBand } from '../../../../functions/domain/comfort/comfort-band.ts';

const ZONE = 'Europe/Copenhagen';
const schedule = [
  { from: '22:00', minC: 17, maxC: 20 },
  { from: '06:00', minC: 20, maxC: 23 },
];
const stepEnds = (start: Date, steps: number) => Array.from({ length: steps }, (_, t) => new Date(start.getTime() + (t + 1) * 15 * 60_000));
const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

describe('comfort band from a local schedule', () => {
  it('spring-forward day (2023-03-26, 23 h): the local clock skips 02:00–03:00', () => {
    const localMidnight = new Date('2023-03-25T23:00:00Z');
    const ends = stepEnds(localMidnight, 92);
    const expected = ends.map((_, t) => {
      const elapsed = (t + 1) * 15;
      return hhmm((elapsed < 120 ? elapsed : elapsed + 60) % 1440);
    });
    expect(ends.map((end) => hhmm(localMinuteOfDay(end, ZONE)))).toEqual(expected);
    expect(expected.slice(6, 10)).toEqual(['01:45', '03:00', '03:15', '03:30']);
    expect(expected.at(-1)).toBe('00:00');

    const band = resolveComfortBand({ schedule, timezone: ZONE, start: localMidnight, steps: 92, stepMinutes: 15 });
    // 06:00 CEST is 04:00Z, the end of step 19.
    expect(band.minC.slice(17, 21)).toEqual([17, 17, 20, 20]);
    // 22:00 CEST is 20:00Z, the end of step 83.
    expect(band.maxC.slice(81, 85)).toEqual([23, 23, 20, 20]);
  });

  it('fall-back day (2023-10-29, 25 h): the local clock runs 02:00–03:00 twice', () => {
    const localMidnight = new Date('2023-10-28T22:00:00Z');
    const ends = stepEnds(localMidnight, 100);
    const expected = ends.map((_, t) => {
      const elapsed = (t + 1) * 15;
      return hhmm((elapsed < 180 ? elapsed : elapsed - 60) % 1440);
    });
    expect(ends.map((end) => hhmm(localMinuteOfDay(end, ZONE)))).toEqual(expected);
    expect(expected.slice(9, 15)).toEqual(['02:30', '02:45', '02:00', '02:15', '02:30', '02:45']);
    expect(expected.at(-1)).toBe('00:00');

    const band = resolveComfortBand({ schedule, timezone: ZONE, start: localMidnight, steps: 100, stepMinutes: 15 });
    // 06:00 CET is 05:00Z, the end of step 27.
    expect(band.minC.slice(25, 29)).toEqual([17, 17, 20, 20]);
    // 22:00 CET is 21:00Z, the end of step 91.
    expect(band.minC.slice(89, 93)).toEqual([20, 20, 17, 17]);
  });

  it('starts a period inside the skipped hour when the clock jumps past it', () => {
    const withNightDip = [...schedule, { from: '02:30', minC: 15, maxC: 18 }];
    // 01:00Z is the jump from 02:00 CET to 03:00 CEST.
    expect(comfortAt(withNightDip, ZONE, new Date('2023-03-26T00:59:00Z')).minC).toBe(17);
    expect(comfortAt(withNightDip, ZONE, new Date('2023-03-26T01:00:00Z')).minC).toBe(15);
  });

  it('wraps the last period over midnight and accepts periods in any order', () => {
    expect(comfortAt(schedule, ZONE, new Date('2023-01-10T00:30:00Z'))).toEqual({ minC: 17, maxC: 20 });
    expect(comfortAt(schedule, ZONE, new Date('2023-01-10T05:00:00Z'))).toEqual({ minC: 20, maxC: 23 });
    expect(comfortAt([{ from: '07:30', minC: 19, maxC: 22 }], ZONE, new Date('2023-01-10T03:00:00Z'))).toEqual({ minC: 19, maxC: 22 });
  });

  it('names an unknown time zone', () => {
    expect(() => localMinuteOfDay(new Date(), 'Europe/Atlantis')).toThrow(/unknown time zone "Europe\/Atlantis"/);
  });
});
