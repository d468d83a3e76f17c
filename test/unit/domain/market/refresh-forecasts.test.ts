import { describe, expect, it } from 'vitest';
import { PartialRefreshError } from '../../../../functions/domain/market/refresh-error.ts';
import { distinctCells, refreshForecasts, type ForecastSource } from '../../../../functions/domain/market/refresh-forecasts.ts';
import { toInstant } from '../../../../functions/domain/market/time.ts';
import type { DeviceRegistry } from '../../../../functions/ports/stores.ts';
import type { DeviceRecord } from '../../../../schemas/device.ts';
import type { WeatherCell, WeatherForecast } from '../../../../schemas/weather-forecast.ts';
import { generateFleet } from '../../../../local/fleet/generate-fleet.ts';
import { MemoryMarketDataStore } from '../../../support/memory-market-data-store.ts';
import { RecordingPublisher } from '../../../support/recording-publisher.ts';

const H = 3_600_000;
let now = new Date('2023-01-10T00:10:00Z');
const clock = { now: () => now };

/** Three heaters: two in Malmö, one in Copenhagen. */
const devices: DeviceRecord[] = generateFleet(3).map(({ record }, i) =>
  i === 2 ? { ...record, weatherCellId: 'copenhagen', weatherCell: { id: 'copenhagen', lat: 55.68, lon: 12.57 } } : record,
);
const registry = { listAll: async () => devices } as unknown as DeviceRegistry;

const forecast = (cell: WeatherCell, shift = 0): WeatherForecast => ({
  source: 'test',
  cell,
  issuedAt: now.toISOString(),
  resolutionMinutes: 60,
  points: Array.from({ length: 96 }, (_, i) => ({ time: toInstant(Date.parse('2023-01-09T00:00:00Z') + i * H), temperatureC: (i % 24) / 4 + shift })),
});

const setup = (source: ForecastSource) => {
  const store = new MemoryMarketDataStore();
  const events = new RecordingPublisher();
  return { store, events, ports: { devices: registry, source, store, events, clock } };
};

describe('distinctCells', () => {
  it('gives each weather cell once, under the id devices are indexed by', () => {
    expect(distinctCells(devices).map((c) => c.id)).toEqual(['malmo', 'copenhagen']);
  });
});

describe('refreshForecasts', () => {
  it('asks once per cell, stores each UTC day, and announces each cell once', async () => {
    const asked: string[] = [];
    const { store, events, ports } = setup(async (cell) => {
      asked.push(cell.id);
      return forecast(cell);
    });
    const outcomes = await refreshForecasts(ports);
    expect(asked.sort()).toEqual(['copenhagen', 'malmo']);
    expect(outcomes.map((o) => [o.cellId, o.changedDays.length])).toEqual([
      ['copenhagen', 4],
      ['malmo', 4],
    ]);
    expect(events.of('ForecastUpdated')).toEqual([
      { cellId: 'copenhagen', source: 'test', issuedAt: '2023-01-10T00:10:00.000Z', from: '2023-01-09T00:00:00Z', to: '2023-01-13T00:00:00Z' },
      { cellId: 'malmo', source: 'test', issuedAt: '2023-01-10T00:10:00.000Z', from: '2023-01-09T00:00:00Z', to: '2023-01-13T00:00:00Z' },
    ]);
    expect(await store.getDays('weather#malmo', '2023-01-09', '2023-01-12')).toHaveLength(4);
  });

  it('announces nothing when only the issue time moved, and the changed cell when a value did', async () => {
    let copenhagenShift = 0;
    const { events, ports } = setup(async (cell) => forecast(cell, cell.id === 'copenhagen' ? copenhagenShift : 0));
    await refreshForecasts(ports);
    events.clear();
    now = new Date('2023-01-10T03:10:00Z');
    await refreshForecasts(ports);
    expect(events.published).toEqual([]);
    copenhagenShift = 0.5;
    await refreshForecasts(ports);
    expect(events.of('ForecastUpdated').map((e) => e.cellId)).toEqual(['copenhagen']);
  });

  it('stores the cells that worked, then fails naming the one that did not', async () => {
    const { events, ports } = setup(async (cell) => {
      if (cell.id === 'malmo') throw new Error('Open-Meteo answered HTTP 400: bad latitude');
      return forecast(cell);
    });
    const failure = await refreshForecasts(ports).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PartialRefreshError);
    expect((failure as Error).message).toBe('forecast refresh failed for 1 of 2: malmo: Open-Meteo answered HTTP 400: bad latitude');
    expect(events.of('ForecastUpdated').map((e) => e.cellId)).toEqual(['copenhagen']);
  });
});
