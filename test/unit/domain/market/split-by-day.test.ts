import { describe, expect, it } from 'vitest';
import { splitByUtcDay } from '../../../../functions/domain/market/split-by-day.ts';
import { toInstant } from '../../../../functions/domain/market/time.ts';

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('splitByUtcDay', () => {
  it('cuts at UTC midnight, not at local midnight', () => {
    const points = ['2023-01-01T23:00:00Z', '2023-01-02T00:00:00+01:00', '2023-01-02T00:00:00Z'].map((start, i) => ({ start, price: i }));
    expect(splitByUtcDay(points, (p) => p.start).map((s) => [s.day, s.points.map((p) => p.price)])).toEqual([
      ['2023-01-01', [0, 1]],
      ['2023-01-02', [2]],
    ]);
  });

  it('never loses or duplicates an interval, whatever the curve (500 random curves)', () => {
    const next = random(42);
    for (let run = 0; run < 500; run++) {
      const resolution = [15, 30, 60][Math.floor(next() * 3)]!;
      const startMs = Date.UTC(2022, 0, 1) + Math.floor(next() * 2 * 365 * 96) * 15 * 60_000;
      const length = 1 + Math.floor(next() * 400);
      const points = Array.from({ length }, (_, i) => ({ start: toInstant(startMs + i * resolution * 60_000), price: next() * 300 - 50 }));

      const slices = splitByUtcDay(points, (p) => p.start);

      expect(slices.flatMap((s) => s.points)).toEqual(points);
      for (const [i, slice] of slices.entries()) {
        expect(slice.points.length).toBeGreaterThan(0);
        expect(slice.points.every((p) => p.start.slice(0, 10) === slice.day)).toBe(true);
        if (i > 0) expect(slice.day > slices[i - 1]!.day).toBe(true);
        expect(slice.points.length).toBeLessThanOrEqual((24 * 60) / resolution);
      }
    }
  });

  it('refuses a point whose time is not an instant', () => {
    expect(() => splitByUtcDay([{ t: 'soon' }], (p) => p.t)).toThrow('cannot split by day: "soon" is not an instant');
  });
});
