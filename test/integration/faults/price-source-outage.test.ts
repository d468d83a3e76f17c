import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DynamoMarketDataStore } from '../../../functions/adapters/dynamodb/market-data-store.ts';
import { StoredMarketInputs } from '../../../functions/adapters/market/stored-market-inputs.ts';
import { energiDataService } from '../../../functions/adapters/prices/energidataservice-source.ts';
import { LAST_RESORT_PRICES } from '../../../functions/domain/market/last-resort-prices.ts';
import type { PriceSteps } from '../../../functions/domain/market/read-steps.ts';
import { ENERGIDATASERVICE_URL_ENV, makeHandler as makeFetchPrices } from '../../../functions/handlers/fetch-prices.ts';
import { makeHandler as makePlanDevices } from '../../../functions/handlers/plan-devices.ts';
import type { MarketInputs } from '../../../functions/ports/market-inputs.ts';
import { generateFleet } from '../../../local/fleet/generate-fleet.ts';
import { startEnergiDataServiceServer } from '../../../local/stand-ins/energidataservice-server.ts';
import type { StandInServer } from '../../../local/stand-ins/json-http-server.ts';
import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { PlanDocument } from '../../../schemas/shadow.ts';
import { PRICE_METRICS } from '../../../wiring/metrics.ts';
import { startDynamoFixture, type DynamoFixture } from '../../support/local-dynamo.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { lambdaContext } from '../../support/sqs-event.ts';
import { startFaultProxy, type FaultProxy, type ProxiedRequest } from './support/fault-proxy.ts';
import { busEvent, registerFleet, storeMarketDays } from './support/seed.ts';
import { recordMetrics } from '../../support/recorded-metrics.ts';

/**
 * A price source outage: fetch-prices against the Energi Data Service stand-in, with a proxy in front of it
 * making one zone's requests answer 5xx, hang, or answer a truncated or cut-short document. The failure is
 * reported per zone (PartialRefreshError naming zone and cause; PriceZonesFailed), the other zone is stored
 * and announced, nothing of the failing zone is stored half-written, the stale-data metrics count it, and
 * the planner still plans: from what is stored with its persistence fallback, and with the documented
 * last-resort price (functions/domain/market/last-resort-prices.ts) where nothing is stored at all.
 */
let now = new Date('2023-01-10T12:00:00Z'); // 13:00 in Copenhagen: tomorrow's prices are out
const clock = { now: () => now };
const INPUT = { source: 'energidataservice', zones: ['DK1', 'DK2'] } as const;


describe('a price source outage', () => {
  let db: DynamoFixture;
  let eds: StandInServer;
  let proxy: FaultProxy;
  let market: DynamoMarketDataStore;
  let events: RecordingPublisher;
  const isZone = (zone: string) => (r: ProxiedRequest) => decodeURIComponent(r.path).includes(`"PriceArea":["${zone}"]`);
  const daysOf = async (zone: string) => (await market.getDays<PriceCurve>(`prices#${zone}`, '2023-01-01', '2023-01-31')).map((d) => [d.day, d.payload.points.length]);
  const requestsFor = (zone: string) => proxy.log.filter((l) => decodeURIComponent(l.path).includes(`"${zone}"`)).length;
  /** The handler as deployed: its own source, built from the environment, 5 s per attempt, 3 attempts. */
  const fetchPrices = () => makeFetchPrices({ store: market, events, clock });
  /** The same adapter, with 300 ms per attempt instead of 5 s, so a hanging source costs the test about a second. */
  const fetchPricesShortTimeout = () =>
    makeFetchPrices({ store: market, events, clock, source: (zone, from, to) => energiDataService.fetch!({ zone, from, to }, { baseUrl: proxy.endpoint, timeoutMs: 300, backoffMs: 20 }) });

  beforeAll(async () => {
    db = await startDynamoFixture();
    eds = await startEnergiDataServiceServer({ now: clock.now });
    proxy = await startFaultProxy(eds.url);
    process.env[ENERGIDATASERVICE_URL_ENV] = proxy.endpoint;
    market = db.stores.marketData();
  });
  afterAll(async () => {
    await proxy?.close();
    await eds?.close();
    await db?.close();
  });
  beforeEach(() => {
    events = new RecordingPublisher();
    proxy.setRule(undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it('5xx on every attempt for DK1: DK2 stored and announced, DK1 nothing; the failure names zone, status and attempts; counted stale', async () => {
    const emitted = recordMetrics();
    proxy.setRule((r) => (isZone('DK1')(r) ? { answer: { status: 503, body: '{"statusCode":503,"error":"Service Unavailable"}' } } : undefined));
    await expect(fetchPrices()(INPUT, lambdaContext)).rejects.toThrow(
      'price refresh failed for 1 of 2: DK1: Energi Data Service DayAheadPrices for DK1 answered HTTP 503: {"statusCode":503,"error":"Service Unavailable"} (gave up after 3 attempts)',
    );
    expect(requestsFor('DK1')).toBe(3);
    expect(await daysOf('DK1')).toEqual([]);
    expect(await daysOf('DK2')).toEqual([
      ['2023-01-10', 96],
      ['2023-01-11', 92],
    ]);
    expect(events.of('PricesPublished').map((e) => e.zone)).toEqual(['DK2']);
    expect(emitted).toContainEqual({ name: PRICE_METRICS.zonesFailed, value: 1 });
    // DK1 has nothing stored: stale. DK2 was just stored: fresh, its age reported.
    expect(emitted).toContainEqual({ name: PRICE_METRICS.zonesStale, value: 1 });
    expect(emitted).toContainEqual({ name: PRICE_METRICS.dataAgeHours, value: 0, dimensions: { source: 'energidataservice', zone: 'DK2' } });
  });

  it("a source that stops answering: each attempt ends at its timeout, the zone fails naming it, the other zone's run is unchanged", async () => {
    const emitted = recordMetrics();
    proxy.setRule((r) => (isZone('DK1')(r) ? { hang: true } : undefined));
    await expect(fetchPricesShortTimeout()(INPUT, lambdaContext)).rejects.toThrow(
      'price refresh failed for 1 of 2: DK1: Energi Data Service DayAheadPrices for DK1: no answer within 300 ms (gave up after 3 attempts)',
    );
    expect(await daysOf('DK1')).toEqual([]);
    // DK2 asked again and unchanged: stored once, announced once (in the test before), not again.
    expect(events.published).toEqual([]);
    expect(emitted).toContainEqual({ name: PRICE_METRICS.zonesFailed, value: 1 });
  });

  it('a truncated answer or one the limit cut short: refused whole, nothing of the zone stored', async () => {
    recordMetrics();
    proxy.setRule((r) =>
      isZone('DK1')(r) ? { rewrite: { body: r.body, answer: (status, text) => ({ status, body: text.slice(0, Math.floor(text.length / 2)) }) } } : undefined,
    );
    await expect(fetchPrices()(INPUT, lambdaContext)).rejects.toThrow(/^price refresh failed for 1 of 2: DK1: Energi Data Service DayAheadPrices for DK1 did not answer JSON: /);
    expect(await daysOf('DK1')).toEqual([]);

    proxy.setRule((r) =>
      isZone('DK1')(r)
        ? {
            rewrite: {
              body: r.body,
              answer: (status, text) => {
                const body = JSON.parse(text) as { total: number; records: unknown[] };
                return { status, body: JSON.stringify({ ...body, records: body.records.slice(0, 40) }) };
              },
            },
          }
        : undefined,
    );
    await expect(fetchPrices()(INPUT, lambdaContext)).rejects.toThrow(/DK1: Energi Data Service DayAheadPrices for DK1: the answer holds 40 of \d+ records; the limit cut it short/);
    expect(await daysOf('DK1')).toEqual([]);
    expect(events.published).toEqual([]);
  });

  describe('the planner during the outage', () => {
    const dk2 = generateFleet(1, 31)[0]!;
    const dk1 = { ...generateFleet(1, 32)[0]!, record: { ...generateFleet(1, 32)[0]!.record, deviceId: 'heater-dk1', zone: 'DK1' } };
    /** What the planner was given per zone, read from the real stored-market adapter. */
    const seen = new Map<string, PriceSteps>();
    const recordingInputs = (inner: StoredMarketInputs): MarketInputs => ({
      priceSteps: async (zone, start, steps, stepMinutes) => {
        const out = (await inner.priceSteps(zone, start, steps, stepMinutes)) as PriceSteps;
        seen.set(zone, out);
        return out;
      },
      outdoorSteps: (...args) => inner.outdoorSteps(...args),
    });

    beforeAll(async () => {
      await registerFleet(db.doc, db, [dk2, dk1]);
      await storeMarketDays(db.doc, db, { cell: dk2.record.weatherCell, days: ['2023-01-11', '2023-01-12', '2023-01-13'], updatedAt: '2023-01-11T03:00:00Z', prices: false });
    });

    it('a day and a half later, still down for both zones: both counted stale, DK2 by its age', async () => {
      now = new Date('2023-01-11T18:00:00Z');
      const emitted = recordMetrics();
      proxy.setRule(() => ({ answer: { status: 502, body: 'Bad Gateway' } }));
      await expect(fetchPrices()(INPUT, lambdaContext)).rejects.toThrow(/^price refresh failed for 2 of 2: DK1: .*HTTP 502.*; DK2: .*HTTP 502/);
      expect(emitted).toContainEqual({ name: PRICE_METRICS.zonesFailed, value: 2 });
      expect(emitted).toContainEqual({ name: PRICE_METRICS.zonesStale, value: 2 });
      expect(emitted).toContainEqual({ name: PRICE_METRICS.dataAgeHours, value: 30, dimensions: { source: 'energidataservice', zone: 'DK2' } });
    });

    it('still plans every device: DK2 on its stored prices and their persistence forecast, DK1 on the last-resort price', async () => {
      const events = new RecordingPublisher();
      const planDevices = makePlanDevices({
        devices: db.stores.devices(),
        states: db.stores.deviceState(),
        plans: db.stores.plans(),
        market: recordingInputs(new StoredMarketInputs(market)),
        events,
        clock,
        gridEvents: db.stores.gridEvents(),
      });
      const replan = busEvent('ReplanRequested', { reason: 'hourly', deviceIds: [dk2.record.deviceId, dk1.record.deviceId] }, now);
      expect(await planDevices(replan, lambdaContext)).toEqual({ planned: 2 });

      // DK1: nothing was ever stored; every step is the documented flat price, flagged unknown.
      const lastResort = seen.get('DK1')!;
      expect(lastResort.basis).toBe('last-resort');
      expect(new Set(lastResort.values)).toEqual(new Set([LAST_RESORT_PRICES.DK1!.price / 1000]));
      expect(lastResort.known.some(Boolean)).toBe(false);
      expect(lastResort.age.stale).toBe(true);
      // DK2: stored prices up to 23:00 UTC on the 11th (the Danish day's end), then the persistence forecast.
      const stored = seen.get('DK2')!;
      expect(stored.basis).toBe('stored');
      expect(stored.known.filter(Boolean)).toHaveLength((5 * 60) / 15);
      expect(stored.known.slice(0, 20).every(Boolean)).toBe(true);
      expect(stored.values.every((v) => Number.isFinite(v))).toBe(true);
      expect(stored.age.stale).toBe(true);

      // Both devices got a valid plan with their fallback band, announced for the push.
      const plans = db.stores.plans();
      for (const heater of [dk2, dk1]) {
        const plan = PlanDocument.parse((await plans.latest(heater.record.deviceId))?.plan);
        expect(Date.parse(plan.validUntil)).toBeGreaterThan(now.getTime());
        expect(plan.fallback).toEqual(heater.record.fallback);
      }
      expect(events.of('PlansStored').flatMap((c) => c.devices.map((d) => d.deviceId)).sort()).toEqual(['heater-dk1', dk2.record.deviceId].sort());
    });
  });
});
