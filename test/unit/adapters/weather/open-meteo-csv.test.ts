import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOpenMeteoCsv } from '../../../../functions/adapters/weather/open-meteo-csv.ts';

const SAMPLE = readFileSync(new URL('../../../../data/samples/weather/malmo-2023-01-02_2023-02-12.csv', import.meta.url), 'utf8');
const META = 'latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation\n55.571175,12.935223,12.0,3600,Europe/Berlin,CET\n\n';

describe('parseOpenMeteoCsv', () => {
  it('reads the Malmö sample: metadata, and labels at a fixed UTC+1 turned into UTC', () => {
    const series = parseOpenMeteoCsv(SAMPLE);
    expect(series).toMatchObject({ latitude: 55.571175, longitude: 12.935223, elevation: 12, utcOffsetSeconds: 3600, timezone: 'Europe/Berlin' });
    expect(series.points).toHaveLength(42 * 24);
    expect(series.points[0]).toEqual({ time: '2023-01-01T23:00:00Z', temperatureC: 7.7 });
    expect(series.points.at(-1)).toEqual({ time: '2023-02-12T22:00:00Z', temperatureC: 5.8 });
  });

  it('reads unmodified Open-Meteo headers in °C and °F', () => {
    const celsius = `${META}time,temperature_2m (°C),rain (mm)\n2023-01-02T00:00,-1.5,0.0\n2023-01-02T01:00,-2.0,0.1\n`;
    expect(parseOpenMeteoCsv(celsius).points.map((p) => p.temperatureC)).toEqual([-1.5, -2]);
    const fahrenheit = `${META}time,rain (mm),temperature_2m (°F)\n2023-01-02T00:00,0.0,50\n`;
    expect(parseOpenMeteoCsv(fahrenheit).points).toEqual([{ time: '2023-01-01T23:00:00Z', temperatureC: 10 }]);
  });

  it('leaves out empty readings', () => {
    const text = `${META}time,temperature\n2023-01-02T00:00,1\n2023-01-02T01:00,\n2023-01-02T02:00,3\n`;
    expect(parseOpenMeteoCsv(text).points.map((p) => p.temperatureC)).toEqual([1, 3]);
  });

  describe('refuses malformed files, naming the line', () => {
    it.each([
      ['no metadata', 'time,temperature\n2023-01-02T00:00,1\n', /malmo\.csv: expected a metadata block and a column header/],
      ['no temperature column', `${META}time,rain (mm)\n2023-01-02T00:00,1\n`, /malmo\.csv: line 4 has no temperature column/],
      ['a text reading', `${META}time,temperature\n2023-01-02T00:00,1\n2023-01-02T01:00,warm\n`, /temperature at line 6 is not a plausible reading: "warm"/],
      ['a repeated hour', `${META}time,temperature\n2023-01-02T00:00,1\n2023-01-02T00:00,1\n`, /line 6 \("2023-01-02T00:00"\) is not one hour after the row before it/],
    ])('%s', (_name, text, message) => {
      expect(() => parseOpenMeteoCsv(text, 'malmo.csv')).toThrow(message);
    });
  });
});
