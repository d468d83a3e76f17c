import { describe, expect, it } from 'vitest';
import { expandHourly, fetchNwsForecast, parseNwsForecastHourly, parseNwsGridpoints, parseNwsPoints, parseValidTime } from '../../../../functions/adapters/weather/nws.ts';
import { seededRandom } from '../../../../local/fleet/seeded-random.ts';
import { fixture } from '../../../support/fixtures.ts';

const GRID = fixture('nws/detailed_forecast.json');
const HOURLY = fixture('nws/gridpoints_forecast_hourly_us.json');
const POINTS = fixture('nws/points.json');
const H = 3_600_000;

type GridValue = { validTime: string; value: number | null };
const editGrid = (change: (values: GridValue[], temperature: { uom: string }) => void): unknown => {
  const body = JSON.parse(GRID);
  change(body.properties.temperature.values, body.properties.temperature);
  return body;
};

describe('NWS gridpoints (raw grid)', () => {
  it('expands the real grid\'s ISO-8601 intervals (PT1H … PT10H) into one point per hour, °C', () => {
    const { issuedAt, points } = parseNwsGridpoints(JSON.parse(GRID));
    expect(issuedAt).toBe('2022-02-04T03:15:41Z');
    // validTimes 2022-02-03T21:00:00+00:00/P7DT14H: 182 hours, every one once.
    expect(points).toHaveLength(182);
    expect(points[0]).toEqual({ time: '2022-02-03T21:00:00Z', temperatureC: 22.77777777777778 });
    const tenHours = points.filter((p) => p.time >= '2022-02-04T01:00:00Z' && p.time < '2022-02-04T11:00:00Z');
    expect(tenHours.map((p) => p.temperatureC)).toEqual(Array(10).fill(18.88888888888889));
    for (let i = 1; i < points.length; i++) expect(Date.parse(points[i]!.time) - Date.parse(points[i - 1]!.time)).toBe(H);
  });

  it('converts a grid in degF and leaves a null interval out as a gap', () => {
    const body = editGrid((values, temperature) => {
      temperature.uom = 'wmoUnit:degF';
      values[0]!.value = 73;
      values[1]!.value = null;
    });
    const { points } = parseNwsGridpoints(body);
    expect(points[0]).toEqual({ time: '2022-02-03T21:00:00Z', temperatureC: 22.78 });
    expect(points[1]!.time).toBe('2022-02-03T23:00:00Z');
    expect(points).toHaveLength(181);
  });

  describe('refuses malformed grids naming the value', () => {
    it.each([
      ['a validTime without duration', editGrid((v) => void (v[3]!.validTime = '2022-02-04T00:00:00+00:00')), /NWS gridpoints JSON: properties\.temperature\.values\[3\]\.validTime is not <instant>\/<duration>/],
      ['a half-hour interval', editGrid((v) => void (v[3]!.validTime = '2022-02-04T00:00:00+00:00/PT30M')), /values\[3\] \(2022-02-04T00:00:00Z, 30 min\) is not whole hours/],
      ['overlapping intervals', editGrid((v) => void (v[3]!.validTime = '2022-02-03T23:00:00+00:00/PT2H')), /properties\.temperature\.values\[3\] overlaps properties\.temperature\.values\[2\] at 2022-02-03T23:00:00Z/],
      ['an unknown unit', editGrid((_v, t) => void (t.uom = 'wmoUnit:K')), /temperature unit "wmoUnit:K" is neither degC nor degF/],
      ['an implausible value', editGrid((v) => void (v[5]!.value = 999)), /values\[5\] is not a plausible temperature: 999/],
      ['no temperature', { properties: { updateTime: '2022-02-04T03:15:41+00:00' } }, /NWS gridpoints JSON is invalid: properties\.temperature/],
    ])('%s', (_name, body, message) => {
      expect(() => parseNwsGridpoints(body)).toThrow(message);
    });
  });

  it(`expandHourly: 1,000 random partitions of a span come back as each hour exactly once`, () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const rnd = seededRandom(seed);
      const start = Date.UTC(2022, 0, 1) + Math.floor(rnd() * 1000) * H;
      const intervals: { startMs: number; endMs: number; value: number; position: string }[] = [];
      let t = start;
      for (let k = 0; k < 1 + Math.floor(rnd() * 40); k++) {
        const hours = 1 + Math.floor(rnd() * (rnd() < 0.2 ? 30 : 4));
        intervals.push({ startMs: t, endMs: t + hours * H, value: Math.round(rnd() * 40 - 10), position: `values[${k}]` });
        t += hours * H;
      }
      const points = expandHourly([...intervals].reverse(), (v) => v, 'grid');
      const expected = intervals.flatMap((iv) => Array.from({ length: (iv.endMs - iv.startMs) / H }, (_, h) => `${new Date(iv.startMs + h * H).toISOString().replace('.000', '')}=${iv.value}`));
      const got = points.map((p) => `${p.time}=${p.temperatureC}`);
      if (got.join() !== expected.join()) expect(got, `seed ${seed}`).toEqual(expected);
    }
  });

  it('reads validTime forms NWS uses', () => {
    expect(parseValidTime('2022-02-04T01:00:00+00:00/PT10H')).toEqual({ startMs: Date.parse('2022-02-04T01:00:00Z'), endMs: Date.parse('2022-02-04T11:00:00Z') });
    expect(parseValidTime('2022-02-04T01:00:00+00:00/P1DT2H')!.endMs - Date.parse('2022-02-04T01:00:00Z')).toBe(26 * H);
    for (const bad of ['2022-02-04T01:00:00+00:00/P', '2022-02-04T01:00:00+00:00/PT', '2022-02-04T01:00:00/PT1H', 'x/PT1H', '2022-02-04T01:00:00Z/PT1H/PT1H']) expect(parseValidTime(bad)).toBeUndefined();
  });
});

describe('NWS forecast/hourly', () => {
  it('reads the real answer: local times with offsets, °F → °C', () => {
    const { issuedAt, points } = parseNwsForecastHourly(JSON.parse(HOURLY));
    expect(issuedAt).toBe('2019-10-14T23:16:24Z');
    expect(points).toEqual([
      { time: '2019-10-15T00:00:00Z', temperatureC: 25.56 },
      { time: '2019-10-15T01:00:00Z', temperatureC: 25 },
    ]);
  });

  it('reads the DST night (EDT → EST) as consecutive UTC hours, and the quantitative-value form (derived)', () => {
    const body = JSON.parse(HOURLY);
    const template = body.properties.periods[0];
    // 2019-11-03 01:00 happens twice in New York: -04:00 then -05:00.
    const stamps = ['2019-11-03T00:00:00-04:00', '2019-11-03T01:00:00-04:00', '2019-11-03T01:00:00-05:00', '2019-11-03T02:00:00-05:00', '2019-11-03T03:00:00-05:00'];
    body.properties.periods = stamps.slice(0, -1).map((s, i) => ({ ...template, startTime: s, endTime: stamps[i + 1], temperature: { unitCode: 'wmoUnit:degC', value: 10 + i } }));
    const { points } = parseNwsForecastHourly(body);
    expect(points.map((p) => [p.time, p.temperatureC])).toEqual([
      ['2019-11-03T04:00:00Z', 10],
      ['2019-11-03T05:00:00Z', 11],
      ['2019-11-03T06:00:00Z', 12],
      ['2019-11-03T07:00:00Z', 13],
    ]);
    body.properties.periods[1].temperature = 52;
    body.properties.periods[1].temperatureUnit = 'F';
    expect(() => parseNwsForecastHourly(body)).toThrow('NWS forecast/hourly JSON: properties.periods[1] is in °F, earlier periods in °C');
    body.properties.periods[1].endTime = '2019-11-03T13:00:00-05:00';
    expect(() => parseNwsForecastHourly(body)).toThrow('NWS forecast/hourly JSON: properties.periods[1] lasts 13 h; expected the hourly forecast (/forecast/hourly), not the day/night one');
  });
});

describe('fetchNwsForecast', () => {
  it('asks the points endpoint once per cell, then only the grid: one request per cell per run', async () => {
    const asked: { url: string; headers: Record<string, string> }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      asked.push({ url, headers: init.headers as Record<string, string> });
      return new Response(url.includes('/points/') ? POINTS : GRID, { status: 200 });
    }) as unknown as typeof fetch;
    const gridCache = new Map<string, string>();
    const cell = { id: 'c-30.0-85.0', lat: 30, lon: -85.00001 };
    const options = { baseUrl: 'http://stand-in', cell, timeoutMs: 1000, userAgent: 'hearth-test (ops@example.com)', gridCache, fetchImpl };
    const first = await fetchNwsForecast(options);
    await fetchNwsForecast(options);
    expect(asked.map((a) => a.url)).toEqual(['http://stand-in/points/30,-85', 'http://stand-in/gridpoints/TAE/58,65', 'http://stand-in/gridpoints/TAE/58,65']);
    expect(asked[0]!.headers).toMatchObject({ 'user-agent': 'hearth-test (ops@example.com)', accept: 'application/geo+json' });
    expect(first).toMatchObject({ source: 'nws', cell, issuedAt: '2022-02-04T03:15:41Z', resolutionMinutes: 60 });
    expect(first.points).toHaveLength(182);
  });

  it('names the cell when the grid answer is malformed', async () => {
    const fetchImpl = (async () => new Response('{"properties":{}}', { status: 200 })) as unknown as typeof fetch;
    const gridCache = new Map([['x', '/gridpoints/TAE/1,1']]);
    await expect(fetchNwsForecast({ cell: { id: 'x', lat: 30, lon: -85 }, timeoutMs: 100, userAgent: 'ua', gridCache, fetchImpl })).rejects.toThrow(
      'NWS forecast for cell x: NWS gridpoints JSON is invalid: properties.updateTime',
    );
    expect(parseNwsPoints(JSON.parse(POINTS))).toEqual({ gridId: 'TAE', gridX: 58, gridY: 65 });
  });
});
