import { describe, expect, it } from 'vitest';
import { loadWeatherFile } from '../../../../functions/adapters/weather/load-weather-file.ts';
import { parseOpenMeteoArchive } from '../../../../functions/adapters/weather/open-meteo-archive.ts';
import { fixture, fixturePath } from '../../../support/fixtures.ts';

const FRANKFURT = fixture('open-meteo/frankfurt-2023-03-25_2023-03-27.json');

describe('Open-Meteo archive JSON', () => {
  it('reads the real Frankfurt slice across the spring DST day with ONE fixed offset: 72 consecutive UTC hours', () => {
    const series = parseOpenMeteoArchive(JSON.parse(FRANKFURT));
    expect(series).toMatchObject({ latitude: 50.08787, longitude: 8.653846, elevation: 111, utcOffsetSeconds: 3600, timezone: 'Europe/Berlin' });
    expect(series.points).toHaveLength(72);
    // Labelled 2023-03-25T00:00 at UTC+1 …
    expect(series.points[0]!.time).toBe('2023-03-24T23:00:00Z');
    // … and still UTC+1 after the clocks went forward: 2023-03-27T23:00 is 22:00Z, not 21:00Z.
    expect(series.points.at(-1)!.time).toBe('2023-03-27T22:00:00Z');
    for (let i = 1; i < series.points.length; i++) expect(Date.parse(series.points[i]!.time) - Date.parse(series.points[i - 1]!.time)).toBe(3_600_000);
  });

  it('refuses a malformed answer naming the row', () => {
    const body = JSON.parse(FRANKFURT);
    body.hourly.time[5] = '2023-03-25 05:00 CET';
    expect(() => parseOpenMeteoArchive(body)).toThrow('Open-Meteo archive JSON: hourly.time[5] is not a timestamp: "2023-03-25 05:00 CET"');
    delete body.utc_offset_seconds;
    expect(() => parseOpenMeteoArchive(body)).toThrow('Open-Meteo archive JSON is invalid: utc_offset_seconds');
  });
});

describe('loadWeatherFile', () => {
  it.each([
    ['open-meteo/frankfurt-2023-03-25_2023-03-27.json', 'open-meteo-json', 72],
    ['open-meteo/open_meteo_forecast.json', 'open-meteo-json', 192],
    ['nws/detailed_forecast.json', 'nws-gridpoints-json', 182],
    ['nws/gridpoints_forecast_hourly_us.json', 'nws-hourly-json', 2],
  ])('detects and reads %s', async (path, format, count) => {
    const loaded = await loadWeatherFile(fixturePath(path));
    expect(loaded.format).toBe(format);
    expect(loaded.points).toHaveLength(count);
  });

  it('reads the Open-Meteo CSV export and names the file in errors', async () => {
    const csv = await loadWeatherFile(new URL('../../../../data/samples/weather/malmo-2023-01-02_2023-02-12.csv', import.meta.url).pathname);
    expect(csv).toMatchObject({ format: 'open-meteo-csv', latitude: 55.571175 });
    await expect(loadWeatherFile(fixturePath('nordpool/indices_15.json'))).rejects.toThrow('indices_15.json: a JSON document of no known weather source');
  });
});
