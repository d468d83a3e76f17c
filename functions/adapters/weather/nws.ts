import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import { Celsius } from '../../../schemas/primitives.ts';
import { WeatherForecast, type WeatherCell } from '../../../schemas/weather-forecast.ts';
import { HOUR_MS, MINUTE_MS, toInstant } from '../../domain/market/time.ts';
import { fetchTextWithRetry, parseJsonBody, type RetryOptions } from '../http/fetch-with-retry.ts';
import { offsetTimestampMs } from '../../domain/time/offset-timestamp.ts';
import { quoted } from '../prices/quoted.ts';
import { checkedWeatherInstant, toCelsius, type HourlyTemperature } from './hourly-temperatures.ts';

export const NWS_SOURCE = 'nws';
export const NWS_URL = 'https://api.weather.gov';

/** NWS writes units as WMO codes (`wmoUnit:degC`; older answers `unit:degC`); the hourly forecast as `F`/`C`. */
function unitSymbol(code: string, what: string): string {
  const m = /^(?:wmoUnit:|unit:)?deg([CF])$/.exec(code.trim()) ?? /^([CF])$/.exec(code.trim());
  if (!m) throw new Error(`${what}: temperature unit ${quoted(code)} is neither degC nor degF`);
  return `°${m[1]}`;
}

/** ISO 8601 durations as NWS writes them: `PT1H`, `PT10H`, `P1D`, `P1DT6H`. Minutes must be zero: the grid is hourly. */
/**
 * The longest interval read: NWS grids forecast about 7 days, and one value rarely holds for more than a day.
 * Each hour of an interval becomes a point, so a mistyped `P99999D` must not make millions of them.
 */
export const MAX_INTERVAL_HOURS = 14 * 24;
const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [days, hours, minutes] = [m[1], m[2], m[3]].map((v) => Number(v ?? 0)) as [number, number, number];
  return ((days * 24 + hours) * 60 + minutes) * MINUTE_MS;
}

/** `2022-02-04T01:00:00+00:00/PT10H` → [start, end) in ms. */
export function parseValidTime(text: string): { startMs: number; endMs: number } | undefined {
  const [start, duration, ...rest] = text.split('/');
  if (start === undefined || duration === undefined || rest.length > 0) return undefined;
  const startMs = offsetTimestampMs(start);
  const ms = durationMs(duration);
  if (startMs === undefined || ms === undefined || ms <= 0) return undefined;
  return { startMs, endMs: startMs + ms };
}

export interface TimedValue {
  startMs: number;
  endMs: number;
  value: number | null;
  position: string;
}

/**
 * Intervals (a value holding over [start, end)) → one point per hour, each hour once: NWS merges hours of
 * equal value into one `validTime` such as `…/PT10H`, so the interval is expanded back. Intervals must start
 * on the hour, last whole hours and not overlap; a null value leaves its hours out (the planner's fallback
 * fills holes). Sorted by time whatever the input order.
 */
export function expandHourly(values: readonly TimedValue[], convert: (v: number) => number, what: string): HourlyTemperature[] {
  const sorted = [...values].sort((a, b) => a.startMs - b.startMs);
  const points: HourlyTemperature[] = [];
  let previous: TimedValue | undefined;
  for (const v of sorted) {
    if (v.startMs % HOUR_MS !== 0 || (v.endMs - v.startMs) % HOUR_MS !== 0) {
      throw new Error(`${what}: ${v.position} (${toInstant(v.startMs)}, ${(v.endMs - v.startMs) / MINUTE_MS} min) is not whole hours`);
    }
    if (v.endMs - v.startMs > MAX_INTERVAL_HOURS * HOUR_MS) {
      throw new Error(`${what}: ${v.position} lasts ${(v.endMs - v.startMs) / HOUR_MS} h; at most ${MAX_INTERVAL_HOURS} h is read`);
    }
    checkedWeatherInstant(v.startMs, what, v.position);
    checkedWeatherInstant(v.endMs - HOUR_MS, what, v.position);
    if (previous && v.startMs < previous.endMs) throw new Error(`${what}: ${v.position} overlaps ${previous.position} at ${toInstant(v.startMs)}`);
    previous = v;
    if (v.value === null) continue;
    const temperatureC = convert(v.value);
    if (!Celsius.safeParse(temperatureC).success) throw new Error(`${what}: ${v.position} is not a plausible temperature: ${v.value}`);
    for (let ms = v.startMs; ms < v.endMs; ms += HOUR_MS) points.push({ time: toInstant(ms), temperatureC });
  }
  if (points.length === 0) throw new Error(`${what} holds no temperature`);
  return points;
}

const GridBody = z.looseObject({
  properties: z.looseObject({
    updateTime: z.string(),
    temperature: z.looseObject({ uom: z.string(), values: z.array(z.looseObject({ validTime: z.string(), value: z.number().nullable() })) }),
  }),
});

/** An NWS raw grid answer (`/gridpoints/{wfo}/{x},{y}`): temperature per interval, °C as `wmoUnit:degC`. */
export function parseNwsGridpoints(body: unknown): { issuedAt: string; points: HourlyTemperature[] } {
  const what = 'NWS gridpoints JSON';
  const parsed = GridBody.safeParse(body);
  if (!parsed.success) throw new Error(`${what} is invalid: ${explainIssues(parsed.error)}`);
  const { updateTime, temperature } = parsed.data.properties;
  const issuedMs = offsetTimestampMs(updateTime);
  if (issuedMs === undefined) throw new Error(`${what}: properties.updateTime is not an instant: ${quoted(updateTime)}`);
  checkedWeatherInstant(issuedMs, what, 'properties.updateTime');
  const values = temperature.values.map((v, i) => {
    const position = `properties.temperature.values[${i}]`;
    const interval = parseValidTime(v.validTime);
    if (!interval) throw new Error(`${what}: ${position}.validTime is not <instant>/<duration>: ${quoted(v.validTime)}`);
    return { ...interval, value: v.value, position };
  });
  return { issuedAt: toInstant(issuedMs), points: expandHourly(values, toCelsius(unitSymbol(temperature.uom, what), what), what) };
}

const Temperature = z.union([z.number(), z.looseObject({ unitCode: z.string(), value: z.number().nullable() })]);
const HourlyBody = z.looseObject({
  properties: z.looseObject({
    updateTime: z.string().optional(),
    generatedAt: z.string().optional(),
    periods: z.array(z.looseObject({ startTime: z.string(), endTime: z.string(), temperature: Temperature, temperatureUnit: z.string().nullable().optional() })),
  }),
});

/**
 * An NWS `/forecast/hourly` answer: periods with local start and end times WITH offsets, and a temperature
 * either as a number in `temperatureUnit` (`F` by default, `C` with `units=si`) or, in newer answers, as a
 * quantitative value `{ unitCode: 'wmoUnit:degC', value }`.
 */
export function parseNwsForecastHourly(body: unknown): { issuedAt: string; points: HourlyTemperature[] } {
  const what = 'NWS forecast/hourly JSON';
  const parsed = HourlyBody.safeParse(body);
  if (!parsed.success) throw new Error(`${what} is invalid: ${explainIssues(parsed.error)}`);
  const { periods, updateTime, generatedAt } = parsed.data.properties;
  const issuedMs = offsetTimestampMs(updateTime ?? generatedAt ?? '');
  if (issuedMs === undefined) throw new Error(`${what}: properties has no updateTime or generatedAt instant`);
  checkedWeatherInstant(issuedMs, what, 'properties.updateTime');
  let unit: string | undefined;
  const values = periods.map((p, i) => {
    const position = `properties.periods[${i}]`;
    const startMs = offsetTimestampMs(p.startTime);
    const endMs = offsetTimestampMs(p.endTime);
    if (startMs === undefined || endMs === undefined || endMs <= startMs) throw new Error(`${what}: ${position} startTime/endTime are not an interval`);
    // The day/night `/forecast` has the same shape, but its temperature is the period's high or low: not hourly data.
    if (endMs - startMs !== HOUR_MS) throw new Error(`${what}: ${position} lasts ${(endMs - startMs) / HOUR_MS} h; expected the hourly forecast (/forecast/hourly), not the day/night one`);
    const [value, code] = typeof p.temperature === 'number' ? [p.temperature, p.temperatureUnit ?? 'F'] : [p.temperature.value, p.temperature.unitCode];
    const symbol = unitSymbol(code, `${what}: ${position}`);
    if (unit !== undefined && unit !== symbol) throw new Error(`${what}: ${position} is in ${symbol}, earlier periods in ${unit}`);
    unit = symbol;
    return { startMs, endMs, value, position };
  });
  return { issuedAt: toInstant(issuedMs), points: expandHourly(values, toCelsius(unit ?? '°F', what), what) };
}

const PointsBody = z.looseObject({
  properties: z.looseObject({ gridId: z.string().regex(/^[A-Z]{3}$/), gridX: z.int().min(0), gridY: z.int().min(0) }),
});

/** `/points/{lat},{lon}` → the forecast office and grid square the point lies in. */
export function parseNwsPoints(body: unknown): { gridId: string; gridX: number; gridY: number } {
  const parsed = PointsBody.safeParse(body);
  if (!parsed.success) throw new Error(`NWS points JSON is invalid: ${explainIssues(parsed.error)}`);
  const { gridId, gridX, gridY } = parsed.data.properties;
  return { gridId, gridX, gridY };
}

export interface FetchNwsForecastOptions extends Partial<Pick<RetryOptions, 'attempts' | 'backoffMs' | 'fetchImpl'>> {
  /** `https://api.weather.gov`, or a stand-in. */
  baseUrl?: string;
  cell: WeatherCell;
  timeoutMs: number;
  /** NWS refuses anonymous clients: an application name and a contact, e.g. `hearth (ops@example.com)`. */
  userAgent: string;
  /**
   * Cell id → gridpoint path, kept between calls (for the Lambda container's life). The grid square of a place
   * never changes, so after the first run each cell costs ONE request, however many devices share it.
   */
  gridCache: Map<string, string>;
}

/**
 * Where NWS forecasts: the contiguous US, Alaska, Hawaii, Puerto Rico and the US Virgin Islands, and Guam, as
 * bounding boxes. Coarse on purpose (a cell just over the Canadian border may pass and get NWS's 404, which
 * fails that cell loudly); it keeps Open-Meteo and NWS from both serving one cell.
 */
const NWS_AREAS: readonly { south: number; north: number; west: number; east: number }[] = [
  { south: 24, north: 50, west: -125, east: -66 },
  { south: 51, north: 72, west: -180, east: -129 },
  { south: 18, north: 23, west: -161, east: -154 },
  { south: 17.5, north: 18.6, west: -68, east: -64.5 },
  { south: 13, north: 14, west: 144.5, east: 145.1 },
];
export const inNwsArea = (cell: { lat: number; lon: number }): boolean =>
  NWS_AREAS.some((a) => cell.lat >= a.south && cell.lat <= a.north && cell.lon >= a.west && cell.lon <= a.east);

/** NWS takes at most four decimals and redirects otherwise; trailing zeros are dropped the same way. */
const coordinate = (v: number): string => String(Number(v.toFixed(4)));

/**
 * The cell's hourly temperature forecast from the raw grid (`/gridpoints/{wfo}/{x},{y}`, °C, about 7 days),
 * with `issuedAt` the grid's `updateTime`: NWS says when it made the forecast, so its age is real.
 */
export async function fetchNwsForecast(options: FetchNwsForecastOptions): Promise<WeatherForecast> {
  const { cell, userAgent } = options;
  const base = (options.baseUrl ?? NWS_URL).replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? fetch;
  // fetch-with-retry sets only `accept`; NWS also wants a User-Agent, and answers GeoJSON.
  const fetchImpl = ((url: string, init?: RequestInit) =>
    doFetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), accept: 'application/geo+json', 'user-agent': userAgent } })) as typeof fetch;
  const retry = { ...options, fetchImpl };
  const what = `NWS forecast for cell ${cell.id}`;
  let path = options.gridCache.get(cell.id);
  if (!path) {
    const text = await fetchTextWithRetry(`${base}/points/${coordinate(cell.lat)},${coordinate(cell.lon)}`, { ...retry, what: `NWS points for cell ${cell.id}` });
    const grid = parseNwsPoints(parseJsonBody(text, `NWS points for cell ${cell.id}`));
    path = `/gridpoints/${grid.gridId}/${grid.gridX},${grid.gridY}`;
    options.gridCache.set(cell.id, path);
  }
  const text = await fetchTextWithRetry(`${base}${path}`, { ...retry, what });
  try {
    const { issuedAt, points } = parseNwsGridpoints(parseJsonBody(text, what));
    const forecast = WeatherForecast.safeParse({ source: NWS_SOURCE, cell, issuedAt, resolutionMinutes: 60, points });
    if (!forecast.success) throw new Error(`does not make a valid forecast: ${explainIssues(forecast.error)}`);
    return forecast.data;
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}
