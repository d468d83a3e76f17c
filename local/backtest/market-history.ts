import { loadPriceFile } from '../../functions/adapters/prices/load-price-file.ts';
import { loadWeatherFile } from '../../functions/adapters/weather/load-weather-file.ts';
import { priceIntervals, priceIntervalSteps, temperatureSteps, type PriceInterval } from '../../functions/domain/market/step-series.ts';
import { HOUR_MS } from '../../functions/domain/market/time.ts';

/**
 * What really happened in a backtest's market: the zone's day-ahead prices as intervals (EUR/MWh, sorted)
 * and the hourly outdoor temperatures (UTC). Backtest policies never read these directly; they see what
 * information.ts says was known when they planned.
 */
export interface MarketHistory {
  zone: string;
  intervals: PriceInterval[];
  temperatures: { time: string; temperatureC: number }[];
  /** Where both series have data: [firstMs, endMs). */
  firstMs: number;
  endMs: number;
  notes: string[];
}

/** A missing file is named plainly, not as a bare ENOENT. */
async function readable<T>(path: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`cannot read ${path}: no such file`);
    throw e;
  }
}

export async function loadMarketHistory(paths: { prices: string; weather: string }, zone?: string): Promise<MarketHistory> {
  const prices = await readable(paths.prices, () => loadPriceFile(paths.prices));
  const zones = [...new Set(prices.curves.map((c) => c.zone))];
  const chosen = zone ?? (zones.length === 1 ? zones[0]! : undefined);
  if (!chosen) throw new Error(`${paths.prices} holds prices of ${zones.join(', ')}; say which with --zone`);
  const curves = prices.curves.filter((c) => c.zone === chosen);
  if (curves.length === 0) throw new Error(`${paths.prices} has no ${chosen} prices (it has ${zones.join(', ')})`);
  if (curves.some((c) => c.currency !== 'EUR')) throw new Error(`${paths.prices}: ${chosen} prices are in ${curves[0]!.currency}; the backtest reports in EUR`);
  const intervals = curves.flatMap((c) => priceIntervals(c.points, c.resolutionMinutes)).sort((a, b) => a.startMs - b.startMs);
  const weather = await readable(paths.weather, () => loadWeatherFile(paths.weather));
  const temperatures = weather.points;
  const firstMs = Math.max(intervals[0]!.startMs, Date.parse(temperatures[0]!.time));
  const endMs = Math.min(intervals[intervals.length - 1]!.endMs, Date.parse(temperatures[temperatures.length - 1]!.time) + HOUR_MS);
  if (!(endMs > firstMs)) throw new Error(`${paths.prices} and ${paths.weather} do not overlap in time`);
  return { zone: chosen, intervals, temperatures, firstMs, endMs, notes: prices.notes };
}

/** The actual spot price (EUR/kWh) and outdoor temperature per step over [startMs, startMs + steps·stepMinutes). */
export function actualSteps(history: MarketHistory, startMs: number, steps: number, stepMinutes: number): { priceEurPerKWh: number[]; outdoorC: number[] } {
  const start = new Date(startMs);
  return {
    priceEurPerKWh: priceIntervalSteps(history.intervals, start, steps, stepMinutes).values,
    outdoorC: temperatureSteps(history.temperatures, start, steps, stepMinutes).values,
  };
}
