import { describe, expect, it } from 'vitest';
import { FORECAST_STALE_AFTER_HOURS, PRICE_STALE_AFTER_HOURS, forecastDataAge, priceDataAge, readPriceDataAge } from '../../../../functions/domain/market/data-age.ts';
import { toInstant } from '../../../../functions/domain/market/time.ts';
import type { MarketDay } from '../../../../functions/ports/stores.ts';
import type { PriceCurve } from '../../../../schemas/price-curve.ts';
import type { WeatherForecast } from '../../../../schemas/weather-forecast.ts';
import { MemoryMarketDataStore } from '../../../support/memory-market-data-store.ts';

const H = 3_600_000;
const priceDay = (day: string, updatedAt: string): MarketDay<PriceCurve> => ({
  series: 'prices#DK2',
  day,
  hash: day,
  updatedAt,
  payload: { source: 't', zone: 'DK2', currency: 'EUR', unit: 'MWh', resolutionMinutes: 60, points: Array.from({ length: 24 }, (_, h) => ({ start: toInstant(Date.parse(`${day}T00:00:00Z`) + h * H), price: 1 })) },
});

describe('data age', () => {
  it('prices: hours since the newest day arrived, and how far ahead they reach', () => {
    const days = [priceDay('2023-01-11', '2023-01-10T11:50:00Z'), priceDay('2023-01-10', '2023-01-09T11:50:00Z')];
    expect(priceDataAge(days, new Date('2023-01-10T13:00:00Z'))).toEqual({ newestDay: '2023-01-11', ageHours: 1.17, horizonHours: 35, stale: false });
    // No publication the next day: by 16:00 the newest day is 28 h old.
    expect(priceDataAge(days, new Date('2023-01-11T16:00:00Z')).stale).toBe(true);
    expect(PRICE_STALE_AFTER_HOURS).toBe(26);
    expect(priceDataAge([], new Date())).toEqual({ stale: true });
  });

  it('forecasts: hours since the newest issue', () => {
    const day: MarketDay<WeatherForecast> = {
      series: 'weather#c',
      day: '2023-01-10',
      hash: 'h',
      updatedAt: '2023-01-10T00:10:00Z',
      payload: { source: 't', cell: { id: 'c', lat: 1, lon: 1 }, issuedAt: '2023-01-10T00:10:00Z', resolutionMinutes: 60, points: [{ time: '2023-01-10T23:00:00Z', temperatureC: 1 }] },
    };
    expect(forecastDataAge([day], new Date('2023-01-10T06:10:00Z'))).toEqual({ newestDay: '2023-01-10', ageHours: 6, horizonHours: 17.83, stale: false });
    expect(forecastDataAge([day], new Date(Date.parse('2023-01-10T00:10:00Z') + (FORECAST_STALE_AFTER_HOURS + 1) * H)).stale).toBe(true);
  });

  it('reads the store around now', async () => {
    const store = new MemoryMarketDataStore();
    await store.putDay(priceDay('2023-01-10', '2023-01-09T11:50:00Z'));
    expect((await readPriceDataAge(store, 'DK2', new Date('2023-01-10T12:00:00Z'))).newestDay).toBe('2023-01-10');
    expect(await readPriceDataAge(store, 'DK1', new Date('2023-01-10T12:00:00Z'))).toEqual({ stale: true });
  });
});
