import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchNwsForecast } from '../../../functions/adapters/weather/nws.ts';
import { contentHash } from '../../../functions/domain/market/series-keys.ts';
import { toInstant } from '../../../functions/domain/market/time.ts';
import { makeHandler as makeFetchPrices } from '../../../functions/handlers/fetch-prices.ts';
import { makeHandler as makeFetchWeather } from '../../../functions/handlers/fetch-weather.ts';
import type { DeviceRegistry } from '../../../functions/ports/stores.ts';
import type { DeviceRecord } from '../../../schemas/device.ts';
import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { fixture } from '../../support/fixtures.ts';
import { MemoryMarketDataStore } from '../../support/memory-market-data-store.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext } from '../../support/sqs-event.ts';
import { recordMetrics } from '../../support/recorded-metrics.ts';

const H = 3_600_000;


afterEach(() => vi.restoreAllMocks());

async function storeDay(store: MemoryMarketDataStore, zone: string, day: string, updatedAt: string) {
  const payload: PriceCurve = {
    source: 'nordpool',
    zone,
    currency: 'EUR',
    unit: 'MWh',
    resolutionMinutes: 60,
    points: Array.from({ length: 24 }, (_, h) => ({ start: toInstant(Date.parse(`${day}T00:00:00Z`) + h * H), price: 10 + h })),
  };
  await store.putDay({ series: `prices#${zone}`, day, hash: contentHash(payload), updatedAt, payload });
}

describe('fetch-prices: stale data detected, counted and reported', () => {
  it('when the source is down: nothing stored, the zone\'s data age and a stale count are emitted, the run fails for a retry', async () => {
    const emitted = recordMetrics();
    const store = new MemoryMarketDataStore();
    await storeDay(store, 'NL', '2023-01-09', '2023-01-08T11:50:00Z');
    const now = new Date('2023-01-10T15:00:00Z');
    const handler = makeFetchPrices({ store, events: new RecordingPublisher(), clock: { now: () => now }, source: async () => Promise.reject(new Error('Nord Pool answered HTTP 503 (gave up after 3 attempts)')) });
    await expect(handler({ source: 'nordpool', zones: ['NL', 'BE'] }, lambdaContext)).rejects.toThrow('price refresh failed for 2 of 2: BE: Nord Pool answered HTTP 503');
    expect(store.writes).toBe(1);
    expect(emitted).toContainEqual({ name: 'PriceDataAgeHours', value: 51.17, dimensions: { source: 'nordpool', zone: 'NL' } });
    expect(emitted).toContainEqual({ name: 'PriceHorizonHours', value: -15, dimensions: { source: 'nordpool', zone: 'NL' } });
    // NL is old, BE has never been stored: both count.
    expect(emitted).toContainEqual({ name: 'PriceZonesStale', value: 2 });
    expect(emitted).toContainEqual({ name: 'PriceZonesFailed', value: 2 });
  });

  it('when the source answers: fresh data, no stale zone, and the ages are returned', async () => {
    const emitted = recordMetrics();
    const store = new MemoryMarketDataStore();
    const now = new Date('2024-11-04T12:00:00Z');
    const document = fixture('nordpool/delivery_period_nl.json');
    const { nordPool } = await import('../../../functions/adapters/prices/nordpool.ts');
    const source = async (zone: string, from: Date, to: Date) =>
      nordPool.fetch!({ zone, from, to }, { timeoutMs: 100, fetchImpl: (async (url: string) => (url.includes('2024-11-05') ? new Response(document) : new Response(null, { status: 204 }))) as unknown as typeof fetch });
    const result = await makeFetchPrices({ store, events: new RecordingPublisher(), clock: { now: () => now }, source })({ source: 'nordpool', zones: ['NL'] }, lambdaContext);
    expect(result.ages).toEqual([{ newestDay: '2024-11-05', ageHours: 0, horizonHours: 35, stale: false }]);
    expect(emitted).toContainEqual({ name: 'PriceZonesStale', value: 0 });
  });
});

describe('fetch-prices: a malformed document stores nothing', () => {
  it('names source and position, writes no day and announces nothing', async () => {
    recordMetrics();
    const store = new MemoryMarketDataStore();
    const events = new RecordingPublisher();
    const broken = fixture('nordpool/delivery_period_nl.json').replace('"NL": 94.0', '"NL": "94,0"');
    const { nordPool } = await import('../../../functions/adapters/prices/nordpool.ts');
    const source = async (zone: string, from: Date, to: Date) =>
      nordPool.fetch!({ zone, from, to }, { timeoutMs: 100, fetchImpl: (async (url: string) => (url.includes('2024-11-05') ? new Response(broken) : new Response(null, { status: 204 }))) as unknown as typeof fetch });
    const handler = makeFetchPrices({ store, events, clock: { now: () => new Date('2024-11-04T12:00:00Z') }, source });
    await expect(handler({ source: 'nordpool', zones: ['NL'] }, lambdaContext)).rejects.toThrow(
      'price refresh failed for 1 of 1: NL: Nord Pool Data Portal JSON: multiAreaEntries[1] is invalid: entryPerArea.NL: Invalid input: expected number, received string',
    );
    expect(store.writes).toBe(0);
    expect(events.published).toEqual([]);
  });
});

describe('fetch-weather with NWS: one request per weather cell, however many devices share it', () => {
  it('asks points once and the grid once per US cell for nine devices in three cells, and reports the forecast age', async () => {
    const emitted = recordMetrics();
    const grid = fixture('nws/detailed_forecast.json');
    const asked: string[] = [];
    const fetchImpl = (async (url: string) => {
      asked.push(url);
      return new Response(url.includes('/points/') ? fixture('nws/points.json') : grid);
    }) as unknown as typeof fetch;
    const gridCache = new Map<string, string>();
    const cells = [
      { id: 'tallahassee', lat: 30.44, lon: -84.28 },
      { id: 'apalachicola', lat: 29.73, lon: -84.98 },
      // Outside the NWS area: left to Open-Meteo, never asked of NWS.
      { id: 'copenhagen', lat: 55.68, lon: 12.57 },
    ];
    const devices = Array.from({ length: 9 }, (_, i) => ({ deviceId: `d${i}`, weatherCellId: cells[i % 3]!.id, weatherCell: cells[i % 3]! })) as unknown as DeviceRecord[];
    const registry = { listAll: async () => devices } as unknown as DeviceRegistry;
    const now = new Date('2022-02-04T06:15:41Z');
    const handler = makeFetchWeather({
      devices: registry,
      store: new MemoryMarketDataStore(),
      events: new RecordingPublisher(),
      clock: { now: () => now },
      source: (cell) => fetchNwsForecast({ baseUrl: 'http://nws', cell, timeoutMs: 100, userAgent: 'test', gridCache, fetchImpl }),
    });
    await handler({ source: 'nws' }, lambdaContext);
    expect(asked.filter((u) => u.includes('/points/'))).toHaveLength(2);
    expect(asked.filter((u) => u.includes('/gridpoints/'))).toHaveLength(2);
    await handler({ source: 'nws' }, lambdaContext);
    // Second run: the grid squares are known, one request per cell.
    expect(asked.filter((u) => u.includes('/points/'))).toHaveLength(2);
    expect(asked.filter((u) => u.includes('/gridpoints/'))).toHaveLength(4);
    // NWS issued the grid at 03:15:41Z: three hours old, not stale.
    expect(emitted).toContainEqual({ name: 'ForecastDataAgeHours', value: 3, dimensions: { source: 'nws' } });
    expect(emitted).toContainEqual({ name: 'ForecastCellsStale', value: 0 });
  });

  it('keeps Open-Meteo off the US cells when told NWS serves them', async () => {
    recordMetrics();
    const asked: string[] = [];
    const cells = [
      { id: 'dallas', lat: 32.79, lon: -96.82 },
      { id: 'malmo', lat: 55.57, lon: 12.94 },
    ];
    const devices = cells.map((cell, i) => ({ deviceId: `d${i}`, weatherCellId: cell.id, weatherCell: cell })) as unknown as DeviceRecord[];
    const handler = makeFetchWeather({
      devices: { listAll: async () => devices } as unknown as DeviceRegistry,
      store: new MemoryMarketDataStore(),
      events: new RecordingPublisher(),
      clock: { now: () => new Date('2023-01-10T00:00:00Z') },
      source: async (cell) => {
        asked.push(cell.id);
        return { source: 'open-meteo', cell, issuedAt: '2023-01-10T00:00:00Z', resolutionMinutes: 60, points: [{ time: '2023-01-10T00:00:00Z', temperatureC: 1 }] };
      },
    });
    await handler({ source: 'open-meteo', exceptNwsArea: true }, lambdaContext);
    expect(asked).toEqual(['malmo']);
    await expect(handler({ source: 'nws', exceptNwsArea: true }, lambdaContext)).rejects.toThrow('exceptNwsArea: exceptNwsArea applies to open-meteo only');
  });
});
