import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoMarketDataStore } from '../../functions/adapters/dynamodb/market-data-store.ts';
import { readPriceSteps, readTemperatureSteps } from '../../functions/domain/market/read-steps.ts';
import { ENERGIDATASERVICE_URL_ENV, makeHandler as makeFetchPrices } from '../../functions/handlers/fetch-prices.ts';
import { OPEN_METEO_URL_ENV, makeHandler as makeFetchWeather } from '../../functions/handlers/fetch-weather.ts';
import type { PriceCurve } from '../../schemas/price-curve.ts';
import { functions } from '../../wiring/functions.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startEnergiDataServiceServer } from '../../local/stand-ins/energidataservice-server.ts';
import type { StandInServer } from '../../local/stand-ins/json-http-server.ts';
import { startOpenMeteoServer } from '../../local/stand-ins/open-meteo-server.ts';
import { lambdaContext } from '../support/sqs-event.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { RecordingPublisher } from '../support/recording-publisher.ts';

/** The inputs the wiring's schedules pass, so the test runs what the scheduler will run. */
const scheduleInput = (spec: (typeof functions)['fetchPrices' | 'fetchWeather']) => {
  const trigger = spec.triggers[0];
  if (trigger.kind !== 'schedules') throw new Error('expected a schedule');
  return trigger.schedules[0].input;
};
const PRICES_INPUT = scheduleInput(functions.fetchPrices);
const WEATHER_INPUT = scheduleInput(functions.fetchWeather);

let now = new Date('2023-01-10T10:00:00Z');
const clock = { now: () => now };

describe('fetch-prices and fetch-weather against dynalite and the local stand-ins', () => {
  let db: DynamoFixture;
  let eds: StandInServer;
  let openMeteo: StandInServer;
  let marketData: DynamoMarketDataStore;
  let events: RecordingPublisher;

  beforeAll(async () => {
    db = await startDynamoFixture();
    eds = await startEnergiDataServiceServer({ now: clock.now });
    openMeteo = await startOpenMeteoServer({ now: clock.now });
    // The handlers build their sources from the environment, as on AWS.
    process.env[ENERGIDATASERVICE_URL_ENV] = eds.url;
    process.env[OPEN_METEO_URL_ENV] = openMeteo.url;
    marketData = db.stores.marketData();
  });
  afterAll(async () => {
    await Promise.all([eds?.close(), openMeteo?.close(), db?.close()]);
  });
  beforeEach(() => {
    events = new RecordingPublisher();
  });

  const fetchPrices = (input: unknown = PRICES_INPUT) => makeFetchPrices({ store: marketData, events, clock })(input, lambdaContext);

  describe('fetch-prices', () => {
    it('stores today before the auction, adds tomorrow after it, and announces each zone once per change', async () => {
      expect(PRICES_INPUT).toEqual({ source: 'energidataservice', zones: ['DK1', 'DK2'] });

      now = new Date('2023-01-10T10:00:00Z'); // 11:00 in Copenhagen: tomorrow's prices are not out yet
      await fetchPrices();
      expect(events.of('PricesPublished')).toEqual([
        { zone: 'DK1', source: 'energidataservice', from: '2023-01-10T00:00:00Z', to: '2023-01-10T23:00:00Z', resolutionMinutes: 15 },
        { zone: 'DK2', source: 'energidataservice', from: '2023-01-10T00:00:00Z', to: '2023-01-10T23:00:00Z', resolutionMinutes: 15 },
      ]);

      events.clear();
      now = new Date('2023-01-10T12:00:00Z'); // 13:00 in Copenhagen: published at 12:45
      const result = await fetchPrices();
      expect(result.zones.map((z) => [z.zone, z.changedDays])).toEqual([
        ['DK1', ['2023-01-10', '2023-01-11']],
        ['DK2', ['2023-01-10', '2023-01-11']],
      ]);
      expect(events.of('PricesPublished').map((e) => [e.zone, e.from, e.to])).toEqual([
        ['DK1', '2023-01-10T00:00:00Z', '2023-01-11T23:00:00Z'],
        ['DK2', '2023-01-10T00:00:00Z', '2023-01-11T23:00:00Z'],
      ]);
      const days = await marketData.getDays<PriceCurve>('prices#DK2', '2023-01-09', '2023-01-12');
      expect(days.map((d) => [d.day, d.payload.points.length, d.payload.resolutionMinutes])).toEqual([
        ['2023-01-10', 96, 15],
        ['2023-01-11', 92, 15],
      ]);
    });

    it('is idempotent: a second run stores nothing new and announces nothing', async () => {
      now = new Date('2023-01-10T12:00:00Z');
      const before = await marketData.getDays('prices#DK2', '2023-01-10', '2023-01-11');
      const result = await fetchPrices();
      expect(events.published).toEqual([]);
      expect(result.zones.every((z) => z.changedDays.length === 0 && z.unchangedDays.length === 2)).toBe(true);
      expect(await marketData.getDays('prices#DK2', '2023-01-10', '2023-01-11')).toEqual(before);
    });

    it('gives the planner known prices through tomorrow and the persistence forecast beyond', async () => {
      const steps = await readPriceSteps(marketData, 'DK2', new Date('2023-01-10T12:00:00Z'), 192, 15);
      const knownSteps = (35 * 60) / 15; // 12:00 today to 23:00 tomorrow
      expect(steps.known.filter(Boolean)).toHaveLength(knownSteps);
      expect(steps.known.slice(0, knownSteps).every(Boolean)).toBe(true);
      // 23:00 tomorrow belongs to the day after, not out yet: it repeats 23:00 today.
      expect(steps.values[knownSteps]).toBe(steps.values[(11 * 60) / 15]);
    });

    it('still succeeds when the API answers 503 twice before a 200', async () => {
      now = new Date('2023-01-15T12:00:00Z');
      const asked = eds.requests.length;
      eds.forceNext(2, { status: 503, body: '{"statusCode":503,"error":"Service Unavailable"}' });
      await fetchPrices({ source: 'energidataservice', zones: ['DK2'] });
      expect(eds.requests.length - asked).toBe(3);
      expect(events.of('PricesPublished').map((e) => e.zone)).toEqual(['DK2']);
      expect(await marketData.getDays('prices#DK2', '2023-01-15', '2023-01-16')).toHaveLength(2);
    });

    it('stores nothing from a malformed answer and fails naming zone, dataset and record; the other zone goes through', async () => {
      now = new Date('2023-01-20T12:00:00Z');
      const malformed = { total: 1, dataset: 'DayAheadPrices', records: [{ TimeUTC: '2023-01-20T00:00:00', PriceArea: 'DK1', DayAheadPriceEUR: 'NaN' }] };
      eds.forceNext(1, { status: 200, body: JSON.stringify(malformed) });
      await expect(fetchPrices()).rejects.toThrow(
        'price refresh failed for 1 of 2: DK1: Energi Data Service DayAheadPrices JSON: records[0] is invalid: DayAheadPriceEUR: Invalid input: expected number, received string',
      );
      expect(await marketData.getDays('prices#DK1', '2023-01-20', '2023-01-21')).toEqual([]);
      expect(events.of('PricesPublished').map((e) => e.zone)).toEqual(['DK2']);

      events.clear();
      eds.forceNext(1, { status: 200, body: '<html>maintenance</html>' });
      await expect(fetchPrices({ source: 'energidataservice', zones: ['DK1'] })).rejects.toThrow(
        /DK1: Energi Data Service DayAheadPrices for DK1 did not answer JSON/,
      );
      expect(await marketData.getDays('prices#DK1', '2023-01-20', '2023-01-21')).toEqual([]);
      expect(events.published).toEqual([]);
    });

    it('refuses a bad schedule input, naming the fields', async () => {
      await expect(fetchPrices({ source: 'epex', zones: [] })).rejects.toThrow(
        /^fetch-prices input is invalid: source: Invalid option: expected one of "energidataservice"\|"nordpool"\|"awattar"; zones: Too small/,
      );
    });
  });

  describe('fetch-weather', () => {
    const fetchWeather = () => makeFetchWeather({ devices: db.stores.devices(), store: marketData, events, clock })(WEATHER_INPUT, lambdaContext);

    beforeAll(async () => {
      const registry = db.stores.devices();
      // Three heaters, two sharing the Malmö cell, one in Copenhagen.
      for (const [i, { record }] of generateFleet(3).entries()) {
        await registry.put(i === 2 ? { ...record, weatherCellId: 'copenhagen', weatherCell: { id: 'copenhagen', lat: 55.68, lon: 12.57 } } : record);
      }
    });

    it('asks once per weather cell, stores each UTC day, and announces each cell; a second run announces nothing', async () => {
      now = new Date('2023-01-10T03:10:00Z');
      const asked = openMeteo.requests.length;
      await fetchWeather();
      expect(openMeteo.requests.length - asked).toBe(2);
      expect(events.of('ForecastUpdated')).toEqual([
        { cellId: 'copenhagen', source: 'open-meteo', issuedAt: '2023-01-10T03:10:00.000Z', from: '2023-01-09T00:00:00Z', to: '2023-01-13T00:00:00Z' },
        { cellId: 'malmo', source: 'open-meteo', issuedAt: '2023-01-10T03:10:00.000Z', from: '2023-01-09T00:00:00Z', to: '2023-01-13T00:00:00Z' },
      ]);
      expect((await marketData.getDays('weather#malmo', '2023-01-01', '2023-01-31')).map((d) => d.day)).toEqual([
        '2023-01-09',
        '2023-01-10',
        '2023-01-11',
        '2023-01-12',
      ]);

      events.clear();
      now = new Date('2023-01-10T06:10:00Z');
      await fetchWeather();
      expect(events.published).toEqual([]);

      const steps = await readTemperatureSteps(marketData, 'malmo', new Date('2023-01-10T06:00:00Z'), 192, 15);
      expect(steps.known.every(Boolean)).toBe(true);
    });

    it('fails naming the cell whose answer was malformed, after storing the others', async () => {
      now = new Date('2023-01-25T03:10:00Z');
      openMeteo.forceNext(1, { status: 200, body: JSON.stringify({ utc_offset_seconds: 0, hourly_units: { temperature_2m: 'K' }, hourly: { time: [], temperature_2m: [] } }) });
      await expect(fetchWeather()).rejects.toThrow(/forecast refresh failed for 1 of 2: (malmo|copenhagen): Open-Meteo forecast for cell \1: .*temperature unit "K" is neither °C nor °F/);
      expect(events.of('ForecastUpdated')).toHaveLength(1);
    });
  });
});
