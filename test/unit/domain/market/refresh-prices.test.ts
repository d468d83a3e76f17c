import { describe, expect, it } from 'vitest';
import { PartialRefreshError } from '../../../../functions/domain/market/refresh-error.ts';
import { dayAheadWindow, refreshPrices, type PriceSource } from '../../../../functions/domain/market/refresh-prices.ts';
import { toInstant } from '../../../../functions/domain/market/time.ts';
import type { PriceCurve } from '../../../../schemas/price-curve.ts';
import { MemoryMarketDataStore } from '../../../support/memory-market-data-store.ts';
import { RecordingPublisher } from '../../../support/recording-publisher.ts';

const H = 3_600_000;
const NOW = new Date('2023-01-10T12:00:00Z');
const window = dayAheadWindow(NOW);

/** A curve of `hours` hourly prices from `fromMs`, price = hour index + offset. */
const curve = (zone: string, fromMs: number, hours: number, offset = 0): PriceCurve => ({
  source: 'test',
  zone,
  currency: 'EUR',
  unit: 'MWh',
  resolutionMinutes: 60,
  points: Array.from({ length: hours }, (_, i) => ({ start: toInstant(fromMs + i * H), price: i + offset })),
});

const setup = (source: PriceSource) => {
  const store = new MemoryMarketDataStore();
  const events = new RecordingPublisher();
  return { store, events, ports: { source, store, events, clock: { now: () => NOW } } };
};

describe('dayAheadWindow', () => {
  it('is today and tomorrow in UTC', () => {
    expect(window).toEqual({ from: new Date('2023-01-10T00:00:00Z'), to: new Date('2023-01-12T00:00:00Z') });
  });
});

describe('refreshPrices', () => {
  it('stores one item per UTC day and announces each zone once; a second run stores and announces nothing', async () => {
    const { store, events, ports } = setup(async (zone, from) => curve(zone, from.getTime(), 47));
    const first = await refreshPrices({ zones: ['DK1', 'DK2'], ...window }, ports);
    expect(first.map((o) => [o.zone, o.changedDays, o.published])).toEqual([
      ['DK1', ['2023-01-10', '2023-01-11'], true],
      ['DK2', ['2023-01-10', '2023-01-11'], true],
    ]);
    expect(events.of('PricesPublished')).toEqual([
      { zone: 'DK1', source: 'test', from: '2023-01-10T00:00:00Z', to: '2023-01-11T23:00:00Z', resolutionMinutes: 60 },
      { zone: 'DK2', source: 'test', from: '2023-01-10T00:00:00Z', to: '2023-01-11T23:00:00Z', resolutionMinutes: 60 },
    ]);
    const [day] = await store.getDays<PriceCurve>('prices#DK2', '2023-01-10', '2023-01-10');
    expect(day!.payload.points).toHaveLength(24);
    expect(day!.hash).toMatch(/^fnv1a64:/);
    expect(store.items.get('prices#DK2|2023-01-10')!.expiresAt!.toISOString()).toBe('2024-02-14T00:00:00.000Z');

    events.clear();
    const writes = store.writes;
    const second = await refreshPrices({ zones: ['DK1', 'DK2'], ...window }, ports);
    expect(second.every((o) => !o.published && o.changedDays.length === 0)).toBe(true);
    expect(events.published).toEqual([]);
    expect(store.writes).toBe(writes);
  });

  it('announces only the days that changed', async () => {
    let offset = 0;
    const { events, ports } = setup(async (zone, from) => {
      const c = curve(zone, from.getTime(), 48);
      c.points[30]!.price += offset;
      return c;
    });
    await refreshPrices({ zones: ['DK2'], ...window }, ports);
    events.clear();
    offset = 5;
    const [outcome] = await refreshPrices({ zones: ['DK2'], ...window }, ports);
    expect(outcome).toMatchObject({ changedDays: ['2023-01-11'], unchangedDays: ['2023-01-10'] });
    expect(events.of('PricesPublished')).toEqual([{ zone: 'DK2', source: 'test', from: '2023-01-11T00:00:00Z', to: '2023-01-12T00:00:00Z', resolutionMinutes: 60 }]);
  });

  it('completes a day that grew (tomorrow\'s last hour arrives a day later) and never erases stored hours', async () => {
    let hours = 47;
    const { store, ports } = setup(async (zone, from) => curve(zone, from.getTime(), hours));
    await refreshPrices({ zones: ['DK2'], ...window }, ports);
    hours = 48;
    expect((await refreshPrices({ zones: ['DK2'], ...window }, ports))[0]!.changedDays).toEqual(['2023-01-11']);
    hours = 30;
    expect((await refreshPrices({ zones: ['DK2'], ...window }, ports))[0]!.changedDays).toEqual([]);
    const [, tomorrow] = await store.getDays<PriceCurve>('prices#DK2', '2023-01-10', '2023-01-11');
    expect(tomorrow!.payload.points).toHaveLength(24);
  });

  it('stores and announces the zones that worked, then fails naming the zone that did not', async () => {
    const { store, events, ports } = setup(async (zone, from) => {
      if (zone === 'DK1') throw new Error('Energi Data Service answered HTTP 500: boom');
      return curve(zone, from.getTime(), 24);
    });
    const failure = await refreshPrices({ zones: ['DK1', 'DK2'], ...window }, ports).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PartialRefreshError);
    expect((failure as Error).message).toBe('price refresh failed for 1 of 2: DK1: Energi Data Service answered HTTP 500: boom');
    expect(events.of('PricesPublished').map((e) => e.zone)).toEqual(['DK2']);
    expect(await store.getDays('prices#DK1', '2023-01-01', '2023-12-31')).toEqual([]);
    expect(await store.getDays('prices#DK2', '2023-01-01', '2023-12-31')).toHaveLength(1);
  });

  it('refuses an answer for another zone', async () => {
    const { ports } = setup(async (_zone, from) => curve('SE4', from.getTime(), 24));
    await expect(refreshPrices({ zones: ['DK2'], ...window }, ports)).rejects.toThrow('DK2: asked for DK2 prices, the source answered SE4');
  });
});

describe('PartialRefreshError', () => {
  it('lists at most five failures', () => {
    const failures = Array.from({ length: 8 }, (_, i) => ({ key: `cell-${i}`, message: 'HTTP 503' }));
    expect(new PartialRefreshError('forecast refresh', 8, failures).message).toBe(
      'forecast refresh failed for 8 of 8: cell-0: HTTP 503; cell-1: HTTP 503; cell-2: HTTP 503; cell-3: HTTP 503; cell-4: HTTP 503; and 3 more',
    );
  });
});
