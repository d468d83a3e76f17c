import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.ts';

/** One value per planner step; `known[i]` is false where the value is the fallback forecast, not data. */
export interface StepSeries {
  values: number[];
  known: boolean[];
}

/** A price in EUR/MWh holding over [startMs, endMs). */
export interface PriceInterval {
  startMs: number;
  endMs: number;
  price: number;
}

/** Hourly temperatures further apart than this are not interpolated: the hole is filled by the fallback. */
export const MAX_INTERPOLATION_GAP_MS = 3 * HOUR_MS;

/** Value over a step [fromMs, toMs), or undefined where the data do not cover it. */
type Evaluate = (fromMs: number, toMs: number) => number | undefined;

/**
 * THE FALLBACK FORECAST, shared by prices and temperatures. A step the data do not cover takes
 *   1. the value of the same step k whole days earlier, for the smallest k ≥ 1 the data cover (daily
 *      persistence: prices repeat their daily shape, temperatures their diurnal cycle);
 *   2. failing that (the step lies before the data), the same step k days later, smallest k first;
 *   3. failing that (the data never cover that time of day), the value nearest in time.
 * Days are 24 h in UTC, so across a DST change the persisted shape is one hour off for a day.
 */
function stepsWithPersistence(
  start: Date,
  steps: number,
  stepMinutes: number,
  data: { firstMs: number; lastMs: number; evaluate: Evaluate; nearest: (ms: number) => number },
): StepSeries {
  const stepMs = stepMinutes * MINUTE_MS;
  const values: number[] = [];
  const known: boolean[] = [];
  for (let i = 0; i < steps; i++) {
    const a = start.getTime() + i * stepMs;
    const b = a + stepMs;
    const direct = data.evaluate(a, b);
    known.push(direct !== undefined);
    values.push(direct ?? persisted(a, b, data) ?? data.nearest((a + b) / 2));
  }
  return { values, known };
}

function persisted(a: number, b: number, data: { firstMs: number; lastMs: number; evaluate: Evaluate }): number | undefined {
  for (let k = 1; b - k * DAY_MS > data.firstMs; k++) {
    const v = data.evaluate(a - k * DAY_MS, b - k * DAY_MS);
    if (v !== undefined) return v;
  }
  for (let k = 1; a + k * DAY_MS < data.lastMs; k++) {
    const v = data.evaluate(a + k * DAY_MS, b + k * DAY_MS);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Index of the first element for which `isAfter` holds (elements sorted so it flips once), or length. */
function firstIndex<T>(items: readonly T[], isAfter: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (isAfter(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function priceIntervals(points: readonly { start: string; price: number }[], resolutionMinutes: number): PriceInterval[] {
  return points.map((p) => {
    const startMs = Date.parse(p.start);
    return { startMs, endMs: startMs + resolutionMinutes * MINUTE_MS, price: p.price };
  });
}

/**
 * Prices per step in EUR/kWh (the curve's EUR/MWh / 1000): the time-weighted mean of the intervals a step
 * overlaps, known only when they cover it completely. Intervals must be sorted and disjoint; they may mix
 * resolutions (hourly days next to 15-minute days). Throws when there is no interval at all: no fallback can
 * invent a price level.
 */
export function priceIntervalSteps(intervals: readonly PriceInterval[], start: Date, steps: number, stepMinutes: number): StepSeries {
  if (intervals.length === 0) throw new Error('no prices to build steps from');
  const evaluate: Evaluate = (a, b) => {
    let covered = 0;
    let sum = 0;
    for (let j = firstIndex(intervals, (iv) => iv.endMs > a); j < intervals.length && intervals[j]!.startMs < b; j++) {
      const iv = intervals[j]!;
      const overlap = Math.min(b, iv.endMs) - Math.max(a, iv.startMs);
      covered += overlap;
      sum += overlap * iv.price;
    }
    return covered === b - a ? sum / covered / 1000 : undefined;
  };
  const nearest = (ms: number) => {
    const j = Math.min(firstIndex(intervals, (iv) => iv.endMs > ms), intervals.length - 1);
    return intervals[j]!.price / 1000;
  };
  return stepsWithPersistence(start, steps, stepMinutes, {
    firstMs: intervals[0]!.startMs,
    lastMs: intervals[intervals.length - 1]!.endMs,
    evaluate,
    nearest,
  });
}

/** `priceIntervalSteps` for one curve's points at one resolution. */
export function priceSteps(
  points: readonly { start: string; price: number }[],
  resolutionMinutes: number,
  start: Date,
  steps: number,
  stepMinutes: number,
): StepSeries {
  return priceIntervalSteps(priceIntervals(points, resolutionMinutes), start, steps, stepMinutes);
}

/**
 * Outdoor temperature per step, °C, at each step's midpoint: linear interpolation between the hourly points
 * around it (at most `MAX_INTERPOLATION_GAP_MS` apart), else the fallback. Points must be sorted. Throws when
 * there is no point at all.
 */
export function temperatureSteps(
  points: readonly { time: string; temperatureC: number }[],
  start: Date,
  steps: number,
  stepMinutes: number,
): StepSeries {
  if (points.length === 0) throw new Error('no temperatures to build steps from');
  const series = points.map((p) => ({ ms: Date.parse(p.time), c: p.temperatureC }));
  const at = (ms: number): number | undefined => {
    const j = firstIndex(series, (p) => p.ms >= ms);
    const after = series[j];
    if (after?.ms === ms) return after.c;
    const before = series[j - 1];
    if (!before || !after || after.ms - before.ms > MAX_INTERPOLATION_GAP_MS) return undefined;
    return before.c + ((after.c - before.c) * (ms - before.ms)) / (after.ms - before.ms);
  };
  const nearest = (ms: number) => {
    const j = firstIndex(series, (p) => p.ms >= ms);
    const candidates = [series[j - 1], series[j]].filter((p) => p !== undefined);
    return candidates.reduce((best, p) => (Math.abs(p.ms - ms) < Math.abs(best.ms - ms) ? p : best)).c;
  };
  return stepsWithPersistence(start, steps, stepMinutes, {
    firstMs: series[0]!.ms,
    lastMs: series[series.length - 1]!.ms,
    evaluate: (a, b) => at((a + b) / 2),
    nearest,
  });
}
