import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import { WeatherForecast, type WeatherCell } from '../../../schemas/weather-forecast.ts';
import { fetchTextWithRetry, parseJsonBody, type RetryOptions } from '../http/fetch-with-retry.ts';
import { hourlyTemperatures } from './hourly-temperatures.ts';
import { quoted } from '../prices/quoted.ts';

export const OPEN_METEO_SOURCE = 'open-meteo';

const ForecastBody = z.looseObject({
  utc_offset_seconds: z.int(),
  hourly_units: z.looseObject({ time: z.string().optional(), temperature_2m: z.string() }),
  hourly: z.looseObject({ time: z.array(z.unknown()), temperature_2m: z.array(z.unknown()) }),
});

/**
 * An Open-Meteo `/v1/forecast` answer as a `WeatherForecast` for `cell` (the cell asked for, not the grid
 * point Open-Meteo snapped to). Times are shifted back by `utc_offset_seconds` (0 for `timezone=GMT`),
 * °F is converted to °C, and a malformed row is refused with its index.
 */
export function parseOpenMeteoForecast(body: unknown, context: { cell: WeatherCell; issuedAt: Date }): WeatherForecast {
  const what = 'Open-Meteo forecast JSON';
  const parsed = ForecastBody.safeParse(body);
  if (!parsed.success) throw new Error(`${what} is invalid: ${explainIssues(parsed.error)}`);
  const { hourly, hourly_units: units, utc_offset_seconds: utcOffsetSeconds } = parsed.data;
  if (units.time !== undefined && units.time !== 'iso8601') {
    throw new Error(`${what}: hourly times are ${quoted(units.time)}; ask with the default timeformat=iso8601`);
  }
  const points = hourlyTemperatures({
    times: hourly.time,
    values: hourly.temperature_2m,
    unit: units.temperature_2m,
    utcOffsetSeconds,
    what,
    positionOf: (i) => `hourly.time[${i}]`,
  });
  const forecast = WeatherForecast.safeParse({
    source: OPEN_METEO_SOURCE,
    cell: context.cell,
    issuedAt: context.issuedAt.toISOString(),
    resolutionMinutes: 60,
    points,
  });
  // The points were checked row by row; this names whatever else is wrong instead of throwing a ZodError.
  if (!forecast.success) throw new Error(`${what} does not make a valid forecast: ${explainIssues(forecast.error)}`);
  return forecast.data;
}

export interface FetchOpenMeteoForecastOptions extends Partial<Pick<RetryOptions, 'attempts' | 'backoffMs' | 'fetchImpl'>> {
  /** `https://api.open-meteo.com`, or the local stand-in. */
  baseUrl: string;
  cell: WeatherCell;
  /** When the forecast is taken to be issued: the clock's now (the answer carries no issue time). */
  issuedAt: Date;
  timeoutMs: number;
}

/** Yesterday (for the planner's persistence fallback) through the day after tomorrow, labelled in UTC. */
export function openMeteoForecastUrl(baseUrl: string, cell: WeatherCell): string {
  const query = [
    `latitude=${cell.lat}`,
    `longitude=${cell.lon}`,
    'hourly=temperature_2m',
    'timezone=GMT',
    'forecast_days=3',
    'past_days=1',
  ].join('&');
  return `${baseUrl.replace(/\/+$/, '')}/v1/forecast?${query}`;
}

export async function fetchOpenMeteoForecast(options: FetchOpenMeteoForecastOptions): Promise<WeatherForecast> {
  const what = `Open-Meteo forecast for cell ${options.cell.id}`;
  const text = await fetchTextWithRetry(openMeteoForecastUrl(options.baseUrl, options.cell), { ...options, what });
  try {
    return parseOpenMeteoForecast(parseJsonBody(text, what), options);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}
