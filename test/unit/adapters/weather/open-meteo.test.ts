import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openMeteoForecastUrl, parseOpenMeteoForecast } from '../../../../functions/adapters/weather/open-meteo.ts';

/** A recorded real answer: Toronto, timezone=America/Toronto (utc_offset_seconds −18000), °F, 192 hours. */
const FIXTURE = JSON.parse(readFileSync(new URL('../../../fixtures/open-meteo/open_meteo_forecast.json', import.meta.url), 'utf8')) as {
  utc_offset_seconds: number;
  hourly_units: Record<string, string>;
  hourly: { time: string[]; temperature_2m: (number | null)[] };
};
const cell = { id: 'toronto', lat: 43.7, lon: -79.4 };
const issuedAt = new Date('2026-03-05T21:00:00Z');
const clone = () => structuredClone(FIXTURE);

describe('parseOpenMeteoForecast', () => {
  it('reads the recorded forecast: labels shifted back by utc_offset_seconds, °F converted to °C', () => {
    const forecast = parseOpenMeteoForecast(FIXTURE, { cell, issuedAt });
    expect(forecast).toMatchObject({ source: 'open-meteo', cell, issuedAt: '2026-03-05T21:00:00.000Z', resolutionMinutes: 60 });
    expect(forecast.points).toHaveLength(192);
    // "2026-03-04T00:00" at −05:00 is 05:00 UTC; 32.0 °F is 0 °C, 31.2 °F is −0.44 °C.
    expect(forecast.points.slice(0, 2)).toEqual([
      { time: '2026-03-04T05:00:00Z', temperatureC: 0 },
      { time: '2026-03-04T06:00:00Z', temperatureC: -0.44 },
    ]);
  });

  it('keeps ONE offset across the DST change inside the answer (Toronto, 2026-03-08), as Open-Meteo labels it', () => {
    const forecast = parseOpenMeteoForecast(FIXTURE, { cell, issuedAt });
    const times = forecast.points.map((p) => Date.parse(p.time));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(3_600_000);
    // The last label, "2026-03-11T23:00", is still read at −05:00, not at EDT's −04:00.
    expect(forecast.points.at(-1)!.time).toBe('2026-03-12T04:00:00Z');
  });

  it('reads timezone=GMT answers in °C as they are', () => {
    const doc = clone();
    doc.utc_offset_seconds = 0;
    doc.hourly_units.temperature_2m = '°C';
    const forecast = parseOpenMeteoForecast(doc, { cell, issuedAt });
    expect(forecast.points[0]).toEqual({ time: '2026-03-04T00:00:00Z', temperatureC: 32 });
  });

  it('leaves out null readings, which Open-Meteo uses for hours a model does not cover', () => {
    const doc = clone();
    doc.hourly.temperature_2m[190] = null;
    doc.hourly.temperature_2m[191] = null;
    expect(parseOpenMeteoForecast(doc, { cell, issuedAt }).points).toHaveLength(190);
  });

  describe('refuses malformed answers, naming the position', () => {
    const edited = (edit: (d: ReturnType<typeof clone>) => void) => {
      const d = clone();
      edit(d);
      return d;
    };
    it.each([
      ['no hourly block', { utc_offset_seconds: 0, hourly_units: { temperature_2m: '°C' } }, /Open-Meteo forecast JSON is invalid: hourly: Invalid input/],
      ['a Kelvin unit', edited((d) => (d.hourly_units.temperature_2m = 'K')), /temperature unit "K" is neither °C nor °F/],
      ['unix times', edited((d) => (d.hourly_units.time = 'unixtime')), /hourly times are "unixtime"/],
      ['a runaway time unit', edited((d) => (d.hourly_units.time = 'x'.repeat(5000))), /hourly times are "x{60}"…; ask/],
      ['a bad time', edited((d) => (d.hourly.time[3] = '2026-03-04 3am')), /hourly\.time\[3\] is not a timestamp: "2026-03-04 3am"/],
      ['a skipped hour', edited((d) => d.hourly.time.splice(5, 1, '2026-03-04T06:00')), /hourly\.time\[5\] \("2026-03-04T06:00"\) is not one hour after the row before it/],
      ['a missing temperature', edited((d) => d.hourly.temperature_2m.pop()), /192 times but 191 temperatures/],
      ['an implausible reading', edited((d) => (d.hourly.temperature_2m[7] = 900)), /temperature at hourly\.time\[7\] is not a plausible reading: 900/],
      ['nothing but nulls', edited((d) => d.hourly.temperature_2m.fill(null)), /Open-Meteo forecast JSON holds no temperature/],
    ])('%s', (_name, doc, message) => {
      expect(() => parseOpenMeteoForecast(doc, { cell, issuedAt })).toThrow(message);
    });
  });
});

describe('openMeteoForecastUrl', () => {
  it('asks hourly temperature in GMT, yesterday to the day after tomorrow', () => {
    expect(openMeteoForecastUrl('https://api.open-meteo.com/', { id: 'c', lat: 55.57, lon: 12.94 })).toBe(
      'https://api.open-meteo.com/v1/forecast?latitude=55.57&longitude=12.94&hourly=temperature_2m&timezone=GMT&forecast_days=3&past_days=1',
    );
  });
});
