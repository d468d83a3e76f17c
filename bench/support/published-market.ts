import { wallClock, zonedWallClockToUtcMs } from '../../functions/domain/time/zoned-time.ts';
import { priceSeries, weatherSeries } from '../../functions/domain/market/series-keys.ts';
import type { MarketDataStore, MarketDay } from '../../functions/ports/stores.ts';
import { SAMPLE_SITE } from '../../local/fleet/generate-fleet.ts';
import { ActualConditions } from '../../local/twin/actual-conditions.ts';

const HOUR_MS = 3_600_000;
/** Nord Pool publishes day D's prices around 12:45 CET on D−1: 11 hours before D begins in Copenhagen. */
const PUBLISHED_BEFORE_DAY_MS = 11 * HOUR_MS;

/** MarketData in memory, keyed as the DynamoDB table (series, UTC day). */
class MemoryMarketData implements MarketDataStore {
  private readonly days = new Map<string, MarketDay<unknown>>();
  async putDay<T>(day: MarketDay<T>): Promise<'new' | 'changed' | 'unchanged'> {
    const key = `${day.series}|${day.day}`;
    const old = this.days.get(key);
    if (old?.hash === day.hash) return 'unchanged';
    this.days.set(key, day);
    return old ? 'changed' : 'new';
  }
  async getDays<T>(series: string, fromDay: string, toDay: string): Promise<MarketDay<T>[]> {
    return [...this.days.values()].filter((d) => d.series === series && d.day >= fromDay && d.day <= toDay).sort((a, b) => (a.day < b.day ? -1 : 1)) as MarketDay<T>[];
  }
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The sample's DK2 prices and Malmö weather as the fetchers would have stored them by a given time: a price
 * hour only once its Danish day was published (honest: tomorrow's prices appear at 13:00 CET), the weather
 * whole (the twin's stand-in serves actuals as the forecast, so plans see perfect weather foresight).
 */
export class PublishedSampleMarket {
  readonly store = new MemoryMarketData();
  private readonly actual = new ActualConditions(SAMPLE_SITE.zone);
  private readonly hours: number[] = [];

  constructor() {
    for (let t = this.actual.firstMs; t < this.actual.endMs; t += HOUR_MS) this.hours.push(t);
  }

  outdoorC(at: Date): number {
    return this.actual.outdoorC(at);
  }

  /** Stores everything published by `now`. */
  async publishUntil(now: Date): Promise<void> {
    const published = this.hours.filter((t) => {
      const danishDay = wallClock(t, SAMPLE_SITE.timezone).slice(0, 10);
      const dayStartMs = zonedWallClockToUtcMs(Date.parse(`${danishDay}T00:00:00Z`), SAMPLE_SITE.timezone);
      return now.getTime() >= dayStartMs - PUBLISHED_BEFORE_DAY_MS;
    });
    const byDay = new Map<string, number[]>();
    for (const t of published) byDay.set(utcDay(t), [...(byDay.get(utcDay(t)) ?? []), t]);
    for (const [day, hours] of byDay) {
      await this.store.putDay({
        series: priceSeries(SAMPLE_SITE.zone),
        day,
        hash: `${hours.length}`,
        updatedAt: now.toISOString(),
        payload: {
          source: 'sample',
          zone: SAMPLE_SITE.zone,
          currency: 'EUR',
          unit: 'MWh',
          resolutionMinutes: 60,
          points: hours.map((t) => ({ start: new Date(t).toISOString(), price: this.actual.priceEurPerKWh(new Date(t)) * 1000 })),
        },
      });
    }
    const allDays = new Map<string, number[]>();
    for (const t of this.hours) allDays.set(utcDay(t), [...(allDays.get(utcDay(t)) ?? []), t]);
    for (const [day, hours] of allDays) {
      await this.store.putDay({
        series: weatherSeries(SAMPLE_SITE.weatherCell.id),
        day,
        hash: 'actuals',
        updatedAt: now.toISOString(),
        payload: {
          source: 'sample',
          cell: SAMPLE_SITE.weatherCell,
          issuedAt: new Date(this.actual.firstMs).toISOString(),
          resolutionMinutes: 60,
          points: hours.map((t) => ({ time: new Date(t).toISOString(), temperatureC: Math.round(this.actual.outdoorC(new Date(t)) * 100) / 100 })),
        },
      });
    }
  }
}
