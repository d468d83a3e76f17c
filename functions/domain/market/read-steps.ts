import type { PriceCurve } from '../../../schemas/price-curve.ts';
import type { WeatherForecast } from '../../../schemas/weather-forecast.ts';
import type { MarketDataStore } from '../../ports/stores.ts';
import { priceIntervalSteps, priceIntervals, temperatureSteps, type StepSeries } from './step-series.ts';
import { priceDataAge, type DataAge } from './data-age.ts';
import { lastResortPrice, type LastResortPrice } from './last-resort-prices.ts';
import { priceSeries, weatherSeries } from './series-keys.ts';
import { DAY_MS, MINUTE_MS, utcDay } from './time.ts';

/** Days read before the window, so the persistence fallback has a recent day to repeat. */
export const FALLBACK_HISTORY_DAYS = 2;

function dayRange(start: Date, steps: number, stepMinutes: number): { fromDay: string; toDay: string; endMs: number } {
  const endMs = start.getTime() + steps * stepMinutes * MINUTE_MS;
  return { fromDay: utcDay(start.getTime() - FALLBACK_HISTORY_DAYS * DAY_MS), toDay: utcDay(endMs - 1), endMs };
}

export interface PriceStepOptions {
  /** Per-zone flat prices for when nothing is stored; defaults to `LAST_RESORT_PRICES`. */
  lastResort?: Readonly<Record<string, LastResortPrice>>;
  /** The clock's now, for the data age; the planning start when not given. */
  now?: Date;
}

export interface PriceSteps extends StepSeries {
  currency: string;
  /**
   * Where the values come from: `stored` prices, with the persistence fallback filling steps beyond them
   * (`known` false there), or the `last-resort` flat price when no price of the zone is stored at all.
   */
  basis: 'stored' | 'last-resort';
  /** Age of the newest stored data, for the planner's `PriceDataAgeHours` metric when it falls back. */
  age: DataAge;
}

/**
 * The zone's prices per planner step, per kWh (the curve's per-MWh price / 1000), with the fallback forecast
 * where no price is stored yet. Never fails for want of data: with no day stored at all (a new zone, a long
 * outage) every step gets the zone's documented last-resort flat price, flagged unknown, and the caller sees
 * `basis: 'last-resort'` and a stale `age` to count and alarm on.
 */
export async function readPriceSteps(
  store: MarketDataStore,
  zone: string,
  start: Date,
  steps: number,
  stepMinutes: number,
  options: PriceStepOptions = {},
): Promise<PriceSteps> {
  const { fromDay, toDay } = dayRange(start, steps, stepMinutes);
  const days = await store.getDays<PriceCurve>(priceSeries(zone), fromDay, toDay);
  const age = priceDataAge(days, options.now ?? start);
  if (days.length === 0) {
    const { price, currency } = lastResortPrice(zone, options.lastResort);
    return { values: Array<number>(steps).fill(price / 1000), known: Array<boolean>(steps).fill(false), currency, basis: 'last-resort', age };
  }
  // Days keep their own resolution, so an hourly day next to a 15-minute day reads correctly.
  const intervals = days.flatMap((d) => priceIntervals(d.payload.points, d.payload.resolutionMinutes));
  return { ...priceIntervalSteps(intervals, start, steps, stepMinutes), currency: days[0]!.payload.currency, basis: 'stored', age };
}

/**
 * THE LAST RESORT when no forecast of a cell is stored at all: a flat outdoor temperature, every step flagged
 * unknown. 5 °C is a mild heating-season day in the markets served; with a flat forecast the planner keeps
 * comfort by feedback from each hourly replan, on measured room temperatures.
 */
export const LAST_RESORT_OUTDOOR_C = 5;

export interface TemperatureSteps extends StepSeries {
  basis: 'stored' | 'last-resort';
}

/** The cell's outdoor temperature per planner step, °C, with the fallback forecast beyond the forecast. */
export async function readTemperatureSteps(
  store: MarketDataStore,
  cellId: string,
  start: Date,
  steps: number,
  stepMinutes: number,
  lastResortC = LAST_RESORT_OUTDOOR_C,
): Promise<TemperatureSteps> {
  const { fromDay, toDay } = dayRange(start, steps, stepMinutes);
  const days = await store.getDays<WeatherForecast>(weatherSeries(cellId), fromDay, toDay);
  if (days.length === 0) {
    return { values: Array<number>(steps).fill(lastResortC), known: Array<boolean>(steps).fill(false), basis: 'last-resort' };
  }
  return { ...temperatureSteps(days.flatMap((d) => d.payload.points), start, steps, stepMinutes), basis: 'stored' };
}
