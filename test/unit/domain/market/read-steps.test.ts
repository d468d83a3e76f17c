import { describe, expect, it } from 'vitest';
import { DEFAULT_LAST_RESORT_PRICE, LAST_RESORT_PRICES } from '../../../../functions/domain/market/last-resort-prices.ts';
import { readPriceSteps, readTemperatureSteps } from '../../../../functions/domain/market/read-steps.ts';
import { contentHash } from '../../../../functions/domain/market/series-keys.ts';
import { toInstant } from '../../../../functions/domain/market/time.ts';
import type { PriceCurve } from '../../../../schemas/price-curve.ts';
import type { WeatherForecast } from '../../../../schemas/weather-forecast.ts';
import { MemoryMarketDataStore } from '../../../support/memory-market-data-store.ts';

const H = 3_600_000;

async function storePriceDay(store: MemoryMarketDataStore, day: string, resolutionMinutes: 15 | 60, price: (i: number) => number) {
  const count = (24 * 60) / resolutionMinutes;
  const payload: PriceCurve = {
    source: 'test',
    zone: 'DK2',
    currency: 'EUR',
    unit: 'MWh',
    resolutionMinutes,
    points: Array.from({ length: count }, (_, i) => ({ start: toInstant(Date.parse(`${day}T00:00:00Z`) + i * resolutionMinutes * 60_000), price: price(i) })),
  };
  await store.putDay({ series: 'prices#DK2', day, hash: contentHash(payload), updatedAt: '2023-01-09T12:00:00Z', payload });
}

describe('readPriceSteps', () => {
  it('reads the stored days, mixing resolutions, and fills tomorrow with today\'s shape', async () => {
    const store = new MemoryMarketDataStore();
    await storePriceDay(store, '2023-01-09', 60, (i) => 1000 + i);
    await storePriceDay(store, '2023-01-10', 15, (i) => 100 * Math.floor(i / 4));
    const steps = await readPriceSteps(store, 'DK2', new Date('2023-01-10T22:00:00Z'), 16, 15);
    expect(steps.currency).toBe('EUR');
    expect(steps.values).toEqual([2.2, 2.2, 2.2, 2.2, 2.3, 2.3, 2.3, 2.3, 0, 0, 0, 0, 0.1, 0.1, 0.1, 0.1]);
    expect(steps.known).toEqual([...Array(8).fill(true), ...Array(8).fill(false)]);
  });

  it('degrades to the zone\'s documented last-resort flat price, flagged unknown, when nothing is stored', async () => {
    const steps = await readPriceSteps(new MemoryMarketDataStore(), 'DK2', new Date('2023-01-10T00:00:00Z'), 192, 15);
    expect(steps).toMatchObject({ basis: 'last-resort', currency: 'EUR', age: { stale: true } });
    expect(new Set(steps.values)).toEqual(new Set([LAST_RESORT_PRICES.DK2!.price / 1000]));
    expect(steps.known.every((k) => !k)).toBe(true);
    const us = await readPriceSteps(new MemoryMarketDataStore(), 'ERCOT', new Date('2023-01-10T00:00:00Z'), 4, 15);
    expect(us).toMatchObject({ currency: 'USD', values: [0.056, 0.056, 0.056, 0.056] });
    const configured = await readPriceSteps(new MemoryMarketDataStore(), 'NL', new Date('2023-01-10T00:00:00Z'), 1, 15, { lastResort: { NL: { price: 120, currency: 'EUR' } } });
    expect(configured.values).toEqual([0.12]);
    expect((await readPriceSteps(new MemoryMarketDataStore(), 'XX', new Date('2023-01-10T00:00:00Z'), 1, 15)).values).toEqual([DEFAULT_LAST_RESORT_PRICE.price / 1000]);
  });

  it('reports the age of the newest stored day', async () => {
    const store = new MemoryMarketDataStore();
    await storePriceDay(store, '2023-01-10', 60, () => 50);
    const steps = await readPriceSteps(store, 'DK2', new Date('2023-01-10T06:00:00Z'), 4, 15, { now: new Date('2023-01-10T06:00:00Z') });
    expect(steps.basis).toBe('stored');
    // Stored "at" 2023-01-09T12:00:00Z (see storePriceDay), the day ends 2023-01-11T00:00Z.
    expect(steps.age).toEqual({ newestDay: '2023-01-10', ageHours: 18, horizonHours: 18, stale: false });
  });
});

describe('readTemperatureSteps', () => {
  it('interpolates the stored forecast and repeats yesterday beyond it', async () => {
    const store = new MemoryMarketDataStore();
    const cell = { id: 'malmo', lat: 55.57, lon: 12.94 };
    for (const day of ['2023-01-09', '2023-01-10']) {
      const payload: WeatherForecast = {
        source: 'test',
        cell,
        issuedAt: '2023-01-09T00:00:00Z',
        resolutionMinutes: 60,
        points: Array.from({ length: 24 }, (_, i) => ({ time: toInstant(Date.parse(`${day}T00:00:00Z`) + i * H), temperatureC: day === '2023-01-09' ? -i : i })),
      };
      await store.putDay({ series: 'weather#malmo', day, hash: contentHash(payload), updatedAt: 'x', payload });
    }
    const steps = await readTemperatureSteps(store, 'malmo', new Date('2023-01-10T22:00:00Z'), 3, 60);
    // 23:30 on the 10th takes 23:30 on the 9th, between −23 and the 10th's 00:00 value 0.
    expect(steps).toEqual({ values: [22.5, -11.5, 0.5], known: [true, false, false], basis: 'stored' });
  });

  it('answers the documented last-resort temperature, flagged unknown, when no forecast is stored at all', async () => {
    const steps = await readTemperatureSteps(new MemoryMarketDataStore(), 'nowhere', new Date('2023-01-10T22:00:00Z'), 3, 60);
    expect(steps).toEqual({ values: [5, 5, 5], known: [false, false, false], basis: 'last-resort' });
  });
});
