import type { PriceCurve } from '../../../schemas/price-curve.ts';
import type { WeatherForecast } from '../../../schemas/weather-forecast.ts';
import type { MarketDataStore } from '../../ports/stores.ts';
import { priceIntervalSteps, priceIntervals, temperatureSteps, type StepSeries } from './step-series.ts';
import { priceSeries, weatherSeries } from './series-keys.ts';
import { DAY_MS, MINUTE_MS, toInstant, utcDay } from './time.ts';

/** Days read before the window, so the persistence fallback has a recent day to repeat. */
export const FALLBACK_HISTORY_DAYS = 2;

function dayRange(start: Date, steps: number, stepMinutes: number): { fromDay: string; toDay: string; endMs: number } {
  const endMs = start.getTime() + steps * stepMinutes * MINUTE_MS;
  return { fromDay: utcDay(start.getTime() - FALLBACK_HISTORY_DAYS * DAY_MS), toDay: utcDay(endMs - 1), endMs };
}

/** The zone's prices per planner step, EUR/kWh, with the fallback forecast where no price is stored yet. */
export async function readPriceSteps(
  store: MarketDataStore,
  zone: string,
  start: Date,
  steps: number,
  stepMinutes: number,
): Promise<StepSeries & { currency: string }> {
  const { fromDay, toDay, endMs } = dayRange(start, steps, stepMinutes);
  const days = await store.getDays<PriceCurve>(priceSeries(zone), fromDay, toDay);
  if (days.length === 0) {
    throw new Error(`no ${zone} prices stored between ${fromDay} and ${toDay} to plan ${toInstant(start.getTime())}–${toInstant(endMs)}`);
  }
  // Days keep their own resolution, so an hourly day next to a 15-minute day reads correctly.
  const intervals = days.flatMap((d) => priceIntervals(d.payload.points, d.payload.resolutionMinutes));
  return { ...priceIntervalSteps(intervals, start, steps, stepMinutes), currency: days[0]!.payload.currency };
}

/** The cell's outdoor temperature per planner step, °C, with the fallback forecast beyond the forecast. */
export async function readTemperatureSteps(
  store: MarketDataStore,
  cellId: string,
  start: Date,
  steps: number,
  stepMinutes: number,
): Promise<StepSeries> {
  const { fromDay, toDay, endMs } = dayRange(start, steps, stepMinutes);
  const days = await store.getDays<WeatherForecast>(weatherSeries(cellId), fromDay, toDay);
  if (days.length === 0) {
    throw new Error(`no forecast stored for cell ${cellId} between ${fromDay} and ${toDay} to plan ${toInstant(start.getTime())}–${toInstant(endMs)}`);
  }
  return temperatureSteps(days.flatMap((d) => d.payload.points), start, steps, stepMinutes);
}
