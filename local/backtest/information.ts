import { priceIntervalSteps, temperatureSteps, type PriceInterval } from '../../functions/domain/market/step-series.ts';
import { DAY_MS, HOUR_MS } from '../../functions/domain/market/time.ts';
import { naiveTimestampMs } from '../../functions/domain/time/naive-timestamp.ts';
import { wallClock, zonedWallClockToUtcMs } from '../../functions/domain/time/zoned-time.ts';
import { seededRandom } from '../fleet/seeded-random.ts';

/**
 * What a planner could have known at plan time — the heart of an honest backtest.
 *
 * PRICES. The day-ahead auction for delivery day D (a day on the market's clock) publishes at
 * PUBLICATION_TIME on D − 1 (12:45 Danish time for the Nordic and EU zones, SDAC's usual publication). At
 * plan time τ the known prices are those of every day published by τ; later steps take the planner's own
 * fallback forecast (daily persistence, functions/domain/market/step-series.ts), exactly as in production.
 *
 * WEATHER. A forecast is issued every FORECAST_ISSUE_HOURS (00, 06, 12, 18 UTC) and used until the next.
 * Its error model: forecast(t) = actual(t) + e(lead), with e an AR(1) process along the lead time (hourly
 * correlation FORECAST_ERROR_RHO, so errors persist for hours as real ones do) whose spread grows linearly
 * with lead: σ(h) = FORECAST_ERROR_SD_AT_0 + FORECAST_ERROR_SD_PER_HOUR · h (0.6 K now, ≈ 1.3 K a day ahead,
 * ≈ 2.0 K two days ahead — the size of 2 m temperature errors of good global models). Each issue draws its
 * own errors from a generator seeded by the run's seed and the issue time, so runs repeat exactly.
 */
export const PUBLICATION_TIME = '12:45';
export const FORECAST_ISSUE_HOURS = 6;
export const FORECAST_ERROR_SD_AT_0 = 0.6;
export const FORECAST_ERROR_SD_PER_HOUR = 0.03;
export const FORECAST_ERROR_RHO = 0.9;
/** Forecasts reach this far past their issue time (a 48 h plan made just before the next issue, plus margin). */
const FORECAST_HOURS = 60;

/** End of the last delivery day whose day-ahead prices are published at `nowMs` (market clock `timezone`). */
export function knownPricesEndMs(nowMs: number, timezone: string): number {
  const local = wallClock(nowMs, timezone);
  const today = local.slice(0, 10);
  const published = local.slice(11, 16) >= PUBLICATION_TIME;
  const todayStartWall = naiveTimestampMs(`${today}T00:00`)!;
  // Through the end of tomorrow once tomorrow is published, else through the end of today.
  return zonedWallClockToUtcMs(todayStartWall + (published ? 2 : 1) * DAY_MS, timezone);
}

/** Index of the first interval starting at or after `ms` (intervals sorted). */
function firstStartingAtOrAfter(intervals: readonly PriceInterval[], ms: number): number {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (intervals[mid]!.startMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Prices per step as known at `nowMs`: published days as they were, the rest the planner's fallback forecast. */
export function knownPriceSteps(intervals: readonly PriceInterval[], nowMs: number, timezone: string, steps: number, stepMinutes: number): number[] {
  const known = intervals.slice(0, firstStartingAtOrAfter(intervals, knownPricesEndMs(nowMs, timezone)));
  return priceIntervalSteps(known, new Date(nowMs), steps, stepMinutes).values;
}

export class WeatherForecaster {
  private readonly issues = new Map<number, { time: string; temperatureC: number }[]>();

  constructor(
    private readonly actualHourly: (hourMs: number) => number,
    private readonly seed: number,
  ) {}

  /** The forecast in force at `nowMs`, per step of the horizon. */
  outdoorSteps(nowMs: number, steps: number, stepMinutes: number): number[] {
    const issuedMs = Math.floor(nowMs / (FORECAST_ISSUE_HOURS * HOUR_MS)) * FORECAST_ISSUE_HOURS * HOUR_MS;
    return temperatureSteps(this.issue(issuedMs), new Date(nowMs), steps, stepMinutes).values;
  }

  private issue(issuedMs: number): { time: string; temperatureC: number }[] {
    let points = this.issues.get(issuedMs);
    if (points) return points;
    const random = seededRandom((this.seed * 1_000_003 + issuedMs / HOUR_MS) >>> 0);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const sd = (h: number) => FORECAST_ERROR_SD_AT_0 + FORECAST_ERROR_SD_PER_HOUR * h;
    let error = sd(0) * gauss();
    points = [];
    for (let h = 0; h <= FORECAST_HOURS; h++) {
      if (h > 0) error = FORECAST_ERROR_RHO * (sd(h) / sd(h - 1)) * error + Math.sqrt(1 - FORECAST_ERROR_RHO ** 2) * sd(h) * gauss();
      const ms = issuedMs + h * HOUR_MS;
      points.push({ time: new Date(ms).toISOString(), temperatureC: this.actualHourly(ms) + error });
    }
    this.issues.set(issuedMs, points);
    // Forecasts older than a day are never asked for again.
    for (const old of this.issues.keys()) if (old < issuedMs - DAY_MS) this.issues.delete(old);
    return points;
  }
}
