import type { PriceCurve } from '../../../schemas/price-curve.ts';
import type { WeatherForecast } from '../../../schemas/weather-forecast.ts';
import type { MarketDataStore, MarketDay } from '../../ports/stores.ts';
import { priceSeries, weatherSeries } from './series-keys.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, utcDay } from './time.ts';

/**
 * Day-ahead prices arrive once a day (≈ 12:45 CET for tomorrow), so the newest stored day is normally at most
 * ~24 h old; two hours more means a publication was missed (the fetcher retries hourly 13:00–16:00).
 */
export const PRICE_STALE_AFTER_HOURS = 26;
/** Forecasts are fetched every 3 h: two missed runs and a margin. */
export const FORECAST_STALE_AFTER_HOURS = 7;
/** How far back the age check looks; older data count as none. */
const LOOK_BACK_DAYS = 4;

export interface DataAge {
  /** The newest stored UTC day, if any day is stored. */
  newestDay?: string;
  /**
   * Hours since the newest data arrived: for prices, since the newest day was stored (day-ahead prices do
   * not change once published, so that is their arrival); for forecasts, since the newest was issued.
   */
  ageHours?: number;
  /** Hours from now to the end of the newest data: how far ahead a planner sees real values. */
  horizonHours?: number;
  /** Too old, or nothing stored: counted and alarmed on. */
  stale: boolean;
}

const hours = (ms: number): number => Math.round((ms / HOUR_MS) * 100) / 100;

/** Age of the newest price day, from the days stored (any order). */
export function priceDataAge(days: readonly MarketDay<PriceCurve>[], now: Date): DataAge {
  const newest = [...days].sort((a, b) => (a.day < b.day ? 1 : -1))[0];
  if (!newest) return { stale: true };
  const last = newest.payload.points[newest.payload.points.length - 1]!;
  const endMs = Date.parse(last.start) + newest.payload.resolutionMinutes * MINUTE_MS;
  const ageHours = hours(now.getTime() - Date.parse(newest.updatedAt));
  return { newestDay: newest.day, ageHours, horizonHours: hours(endMs - now.getTime()), stale: ageHours > PRICE_STALE_AFTER_HOURS };
}

/** Age of the newest forecast: the latest `issuedAt` among the stored days. */
export function forecastDataAge(days: readonly MarketDay<WeatherForecast>[], now: Date): DataAge {
  if (days.length === 0) return { stale: true };
  const issuedMs = Math.max(...days.map((d) => Date.parse(d.payload.issuedAt)));
  const newest = [...days].sort((a, b) => (a.day < b.day ? 1 : -1))[0]!;
  const last = newest.payload.points[newest.payload.points.length - 1]!;
  const ageHours = hours(now.getTime() - issuedMs);
  return { newestDay: newest.day, ageHours, horizonHours: hours(Date.parse(last.time) + HOUR_MS - now.getTime()), stale: ageHours > FORECAST_STALE_AFTER_HOURS };
}

const window = (now: Date) => ({ from: utcDay(now.getTime() - LOOK_BACK_DAYS * DAY_MS), to: utcDay(now.getTime() + 3 * DAY_MS) });

export async function readPriceDataAge(store: MarketDataStore, zone: string, now: Date): Promise<DataAge> {
  const { from, to } = window(now);
  return priceDataAge(await store.getDays<PriceCurve>(priceSeries(zone), from, to), now);
}

export async function readForecastDataAge(store: MarketDataStore, cellId: string, now: Date): Promise<DataAge> {
  const { from, to } = window(now);
  return forecastDataAge(await store.getDays<WeatherForecast>(weatherSeries(cellId), from, to), now);
}
