import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { HourlyTemperature } from '../../../functions/adapters/weather/hourly-temperatures.ts';
import { readWeatherDocument } from '../../../functions/adapters/weather/load-weather-file.ts';
import { parseNwsForecastHourly, parseNwsGridpoints, parseNwsPoints } from '../../../functions/adapters/weather/nws.ts';
import { parseOpenMeteoArchive } from '../../../functions/adapters/weather/open-meteo-archive.ts';
import { parseOpenMeteoCsv } from '../../../functions/adapters/weather/open-meteo-csv.ts';
import { parseOpenMeteoForecast } from '../../../functions/adapters/weather/open-meteo.ts';
import { Celsius, Instant } from '../../../schemas/primitives.ts';
import { WeatherForecast } from '../../../schemas/weather-forecast.ts';
import { fixture } from '../../support/fixtures.ts';
import { mutatedCells, mutatedJson, mutatedText, randomDocument, refusalProblem, RUNS } from './support/mutations.ts';
import { assertNoProblem } from './support/price-check.ts';

/**
 * Weather documents (Open-Meteo forecast and archive JSON, Open-Meteo CSV, NWS gridpoints, forecast/hourly and
 * points JSON, and the backtest loader that tells them apart), 10,000 cases each: random text and JSON, and
 * edits of real documents (test/fixtures/open-meteo, test/fixtures/nws, data/samples/weather). Each parse
 * answers hourly UTC points (valid instants, ascending on whole hours, plausible temperatures) or throws a
 * plain Error naming the document; never a crash.
 *
 * The long documents are cut to their first entries (the NWS grid to its temperature series, 48 values; the
 * Open-Meteo forecast to 48 hours; the Malmö CSV to its first two days), so 10,000 parses fit a unit test.
 */
const HOUR_MS = 3_600_000;
const json = (path: string) => JSON.parse(fixture(path)) as Record<string, unknown>;

const forecast = json('open-meteo/open_meteo_forecast.json');
const FORECAST = {
  ...forecast,
  hourly: Object.fromEntries(Object.entries(forecast.hourly as Record<string, unknown[]>).map(([k, v]) => [k, v.slice(0, 48)])),
  daily: undefined,
  current: undefined,
};
const ARCHIVE = json('open-meteo/frankfurt-2023-03-25_2023-03-27.json');
const grid = json('nws/detailed_forecast.json') as { properties: Record<string, unknown> & { temperature: { uom: string; values: unknown[] } } };
const GRID = {
  ...grid,
  properties: { updateTime: grid.properties.updateTime, gridId: grid.properties.gridId, temperature: { ...grid.properties.temperature, values: grid.properties.temperature.values.slice(0, 48) } },
};
const HOURLY = json('nws/gridpoints_forecast_hourly_us.json');
const POINTS = json('nws/points.json');
const CSV = readFileSync(new URL('../../../data/samples/weather/malmo-2023-01-02_2023-02-12.csv', import.meta.url), 'utf8').split('\n').slice(0, 4 + 48).join('\n');

const cell = { id: 'malmo', lat: 55.57, lon: 12.94 };
const issuedAt = new Date('2023-01-10T03:00:00Z');

/** What a weather parse promises: hourly points, UTC instants, ascending on whole hours, plausible temperatures. */
function pointsProblem(points: readonly HourlyTemperature[]): string | undefined {
  if (!Array.isArray(points) || points.length === 0) return 'answered no point and no error';
  let previous: number | undefined;
  for (const p of points) {
    if (!Instant.safeParse(p.time).success) return `answered a time that is no instant: ${p.time}`;
    if (!Celsius.safeParse(p.temperatureC).success) return `answered an implausible temperature: ${p.temperatureC}`;
    const ms = Date.parse(p.time);
    if (previous !== undefined && (ms <= previous || (ms - previous) % HOUR_MS !== 0)) return `answered ${p.time} after ${new Date(previous).toISOString()}`;
    previous = ms;
  }
  return undefined;
}

function check(run: () => unknown, names: RegExp, answer: (out: never) => string | undefined): string | undefined {
  let out: unknown;
  try {
    out = run();
  } catch (e) {
    return refusalProblem(e, names);
  }
  return answer(out as never);
}

const fromJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Bodies as the fetchers hand them on: parsed JSON (or, for text that is not JSON, the text itself). */
const bodies = (docs: unknown[]) =>
  fc.oneof(
    { weight: 1, arbitrary: randomDocument.map(fromJson) },
    { weight: 1, arbitrary: mutatedText(docs.map((d) => JSON.stringify(d, null, 1))).map(fromJson) },
    { weight: 4, arbitrary: mutatedJson(docs).map((t) => JSON.parse(t) as unknown) },
  );

describe('weather documents, property-based', () => {
  it('Open-Meteo forecast JSON: a valid forecast for the cell, or an Error naming the document', () => {
    fc.assert(
      fc.property(bodies([FORECAST, ARCHIVE]), (body) => {
        assertNoProblem(
          check(
            () => parseOpenMeteoForecast(body, { cell, issuedAt }),
            /^Open-Meteo forecast JSON/,
            (out: WeatherForecast) => {
              const valid = WeatherForecast.safeParse(out);
              return valid.success ? pointsProblem(out.points) : 'answered an invalid forecast';
            },
          ),
          JSON.stringify(body) ?? String(body),
        );
      }),
      RUNS,
    );
  });

  it('Open-Meteo archive JSON', () => {
    fc.assert(
      fc.property(bodies([ARCHIVE, FORECAST]), (body) => {
        assertNoProblem(
          check(() => parseOpenMeteoArchive(body), /^Open-Meteo archive JSON/, (out: ReturnType<typeof parseOpenMeteoArchive>) => pointsProblem(out.points)),
          JSON.stringify(body) ?? String(body),
        );
      }),
      RUNS,
    );
  });

  it('Open-Meteo CSV', () => {
    const documents = fc.oneof(randomDocument, mutatedText([CSV]), mutatedCells([CSV], ','));
    fc.assert(
      fc.property(documents, (text) => {
        assertNoProblem(
          check(() => parseOpenMeteoCsv(text), /^Open-Meteo CSV/, (out: ReturnType<typeof parseOpenMeteoCsv>) => pointsProblem(out.points)),
          text,
        );
      }),
      RUNS,
    );
  });

  it('NWS gridpoints JSON', () => {
    fc.assert(
      fc.property(bodies([GRID]), (body) => {
        assertNoProblem(
          check(
            () => parseNwsGridpoints(body),
            /^NWS gridpoints JSON/,
            (out: ReturnType<typeof parseNwsGridpoints>) => (Instant.safeParse(out.issuedAt).success ? pointsProblem(out.points) : `issuedAt ${out.issuedAt}`),
          ),
          JSON.stringify(body) ?? String(body),
        );
      }),
      RUNS,
    );
  });

  it('NWS forecast/hourly JSON', () => {
    fc.assert(
      fc.property(bodies([HOURLY]), (body) => {
        assertNoProblem(
          check(
            () => parseNwsForecastHourly(body),
            /^NWS forecast\/hourly JSON/,
            (out: ReturnType<typeof parseNwsForecastHourly>) => (Instant.safeParse(out.issuedAt).success ? pointsProblem(out.points) : `issuedAt ${out.issuedAt}`),
          ),
          JSON.stringify(body) ?? String(body),
        );
      }),
      RUNS,
    );
  });

  it('NWS points JSON: a forecast office and grid square, or an Error', () => {
    fc.assert(
      fc.property(bodies([POINTS]), (body) => {
        assertNoProblem(
          check(
            () => parseNwsPoints(body),
            /^NWS points JSON/,
            (out: ReturnType<typeof parseNwsPoints>) => (/^[A-Z]{3}$/.test(out.gridId) && Number.isInteger(out.gridX) && Number.isInteger(out.gridY) ? undefined : 'answered a bad grid'),
          ),
          JSON.stringify(body) ?? String(body),
        );
      }),
      RUNS,
    );
  });

  it('any weather document, its format detected (the backtest loader)', () => {
    const texts = [CSV, JSON.stringify(ARCHIVE), JSON.stringify(GRID), JSON.stringify(HOURLY)];
    const documents = fc.oneof(randomDocument, mutatedText(texts), mutatedJson([ARCHIVE, GRID, HOURLY, FORECAST]));
    fc.assert(
      fc.property(documents, (text) => {
        assertNoProblem(
          check(() => readWeatherDocument(text, 'weather.json'), /^(weather\.json|Open-Meteo|NWS)/, (out: ReturnType<typeof readWeatherDocument>) => pointsProblem(out.points)),
          text,
        );
      }),
      RUNS,
    );
  });
});
