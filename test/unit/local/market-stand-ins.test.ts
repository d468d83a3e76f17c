import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnergiDataServiceServer } from '../../../local/stand-ins/energidataservice-server.ts';
import type { StandInServer } from '../../../local/stand-ins/json-http-server.ts';
import { startOpenMeteoServer } from '../../../local/stand-ins/open-meteo-server.ts';

const DK2_SAMPLE = fileURLToPath(new URL('../../../data/samples/prices/DK2-2023-01-02_2023-02-12.csv', import.meta.url));
let now = new Date('2023-01-10T11:44:00Z');
const clock = () => now;
const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { records: Record<string, unknown>[] } };
};

describe('Energi Data Service stand-in', () => {
  let eds: StandInServer;
  beforeAll(async () => (eds = await startEnergiDataServiceServer({ now: clock, priceFiles: [DK2_SAMPLE] })));
  afterAll(() => eds.close());

  const tomorrow = () => getJson(`${eds.url}/dataset/DayAheadPrices?start=2023-01-11&end=2023-01-12&filter=${encodeURIComponent('{"PriceArea":["DK2"]}')}&limit=0`);

  it('serves day D only after 12:45 Danish time on D−1', async () => {
    now = new Date('2023-01-10T11:44:00Z');
    expect((await tomorrow()).body.total).toBe(0);
    now = new Date('2023-01-10T11:45:00Z');
    const { body } = await tomorrow();
    expect(body.total).toBe(96);
    expect(body.dataset).toBe('DayAheadPrices');
  });

  it('serves each hourly sample price as four 15-minute records, newest first unless asked otherwise', async () => {
    now = new Date('2023-01-20T00:00:00Z');
    const { body } = await getJson(`${eds.url}/dataset/DayAheadPrices?start=2023-01-02T01:00&end=2023-01-02T02:00`);
    expect(body.records.map((r) => r.TimeUTC)).toEqual(['2023-01-02T00:45:00', '2023-01-02T00:30:00', '2023-01-02T00:15:00', '2023-01-02T00:00:00']);
    expect(body.records[0]).toMatchObject({ TimeDK: '2023-01-02T01:45:00', PriceArea: 'DK2', DayAheadPriceEUR: 51.669998 });
  });

  it('pages with limit and offset, 100 records by default', async () => {
    const all = await getJson(`${eds.url}/dataset/DayAheadPrices?start=2023-01-03&end=2023-01-05`);
    expect(all.body).toMatchObject({ total: 192, limit: 100 });
    expect(all.body.records).toHaveLength(100);
    const page = await getJson(`${eds.url}/dataset/DayAheadPrices?start=2023-01-03&end=2023-01-05&sort=TimeUTC%20asc&limit=2&offset=4`);
    expect(page.body.records.map((r) => r.TimeUTC)).toEqual(['2023-01-03T00:00:00', '2023-01-03T00:15:00']);
  });

  it('matches nothing for an unknown area, and answers 400 and 404 for bad requests', async () => {
    expect((await getJson(`${eds.url}/dataset/DayAheadPrices?filter=${encodeURIComponent('{"PriceArea":["XX"]}')}`)).body.total).toBe(0);
    expect(await getJson(`${eds.url}/dataset/DayAheadPrices?start=tomorrow`)).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'start=tomorrow is not yyyy, yyyy-MM, yyyy-MM-dd or yyyy-MM-ddTHH:mm' },
    });
    expect((await getJson(`${eds.url}/dataset/DayAheadPrices?filter=%7Bbroken`)).status).toBe(400);
    expect((await getJson(`${eds.url}/dataset/DayAheadPrices?sort=Price`)).status).toBe(400);
    expect((await getJson(`${eds.url}/dataset/Elspotprices`)).status).toBe(404);
  });
});

describe('Open-Meteo stand-in', () => {
  let om: StandInServer;
  beforeAll(async () => (om = await startOpenMeteoServer({ now: clock })));
  afterAll(() => om.close());
  const forecast = (query: string) => getJson(`${om.url}/v1/forecast?${query}`);

  it('serves the sample actuals from 00:00 today minus past_days, in GMT', async () => {
    now = new Date('2023-01-10T12:00:00Z');
    const { status, body } = await forecast('latitude=55.68&longitude=12.57&hourly=temperature_2m&timezone=GMT&forecast_days=3&past_days=1');
    expect(status).toBe(200);
    const hourly = body.hourly as { time: string[]; temperature_2m: (number | null)[] };
    expect(body).toMatchObject({ latitude: 55.571175, utc_offset_seconds: 0, timezone: 'GMT', hourly_units: { temperature_2m: '°C' } });
    expect(hourly.time).toHaveLength(96);
    expect(hourly.time[0]).toBe('2023-01-09T00:00');
    expect(hourly.temperature_2m.every((t) => typeof t === 'number')).toBe(true);
  });

  it('labels a named time zone with ONE offset, and serves °F and nulls past the samples', async () => {
    now = new Date('2023-02-12T20:00:00Z');
    const { body } = await forecast('latitude=55.57&longitude=12.94&hourly=temperature_2m&timezone=Europe/Copenhagen&forecast_days=2&temperature_unit=fahrenheit');
    const hourly = body.hourly as { time: string[]; temperature_2m: (number | null)[] };
    expect(body).toMatchObject({ utc_offset_seconds: 3600, timezone_abbreviation: 'GMT+1', hourly_units: { temperature_2m: '°F' } });
    expect(hourly.time[0]).toBe('2023-02-12T00:00');
    // The sample's last row is 2023-02-12T23:00 at UTC+1, 5.8 °C = 42.4 °F.
    expect(hourly.temperature_2m[23]).toBe(42.4);
    expect(hourly.temperature_2m[24]).toBeNull();
  });

  it('answers Open-Meteo\'s 400 for bad parameters and far-away places, 404 for other paths', async () => {
    expect(await forecast('latitude=91&longitude=0')).toEqual({ status: 400, body: { error: true, reason: "Parameter 'latitude' must be in range of -90 to 90. Given: 91." } });
    expect((await forecast('latitude=55.6&longitude=12.9&hourly=snowfall')).status).toBe(400);
    expect((await forecast('latitude=55.6&longitude=12.9&timezone=Mars/Olympus')).status).toBe(400);
    expect((await forecast('latitude=48.85&longitude=2.35&hourly=temperature_2m')).body.reason).toMatch(/No sample weather within 100 km of 48.85,2.35/);
    expect((await getJson(`${om.url}/v1/archive`)).status).toBe(404);
  });
});
