import { Celsius } from '../../../schemas/primitives.ts';
import { HOUR_MS, toInstant } from '../../domain/market/time.ts';
import { naiveTimestampMs } from '../../domain/time/naive-timestamp.ts';
import { quoted } from '../prices/quoted.ts';

/** Real UTC offsets lie within −12 h … +14 h; ISO 8601 allows ±18 h, and nothing beyond is an offset. */
export const MAX_UTC_OFFSET_SECONDS = 18 * 3600;
/** Weather records start in the 1900s (Open-Meteo's archive in 1940); instants are written with four-digit years. */
export const EARLIEST_WEATHER_MS = Date.UTC(1900, 0, 1);
export const LATEST_WEATHER_MS = Date.UTC(9999, 11, 31, 23, 0, 0);

/** The instant of a weather value, refused (naming it) outside the years a forecast or record can be for. */
export function checkedWeatherInstant(ms: number, what: string, position: string): number {
  if (!(ms >= EARLIEST_WEATHER_MS && ms <= LATEST_WEATHER_MS)) {
    throw new Error(`${what}: ${position} is outside the years 1900…9999`);
  }
  return ms;
}

export interface HourlyTemperature {
  time: string;
  temperatureC: number;
}

/** °F readings are converted and kept to 0.01 K, finer than any forecast is worth. */
export function toCelsius(unit: string, what: string): (value: number) => number {
  const u = unit.trim();
  if (u === '°C' || u === 'C') return (v) => v;
  if (u === '°F' || u === 'F') return (v) => Math.round(((v - 32) * 5) / 9 * 100) / 100;
  throw new Error(`${what}: temperature unit ${quoted(unit)} is neither °C nor °F`);
}

export interface HourlyColumns {
  times: readonly unknown[];
  values: readonly unknown[];
  unit: string;
  /**
   * Open-Meteo labels rows with UTC + this offset, ONE offset for the whole answer (the one valid when it was
   * asked), even across a DST change; so `utc = label − offset` holds for every row.
   */
  utcOffsetSeconds: number;
  what: string;
  /** Names row i in errors: `hourly.time[5]`, `line 9`. */
  positionOf: (i: number) => string;
}

/**
 * Hourly temperatures as UTC points, ascending, one hour apart. A `null` reading (Open-Meteo's "no value",
 * e.g. past a model's horizon) is left out; anything else that is not a plausible temperature is refused.
 */
export function hourlyTemperatures(columns: HourlyColumns): HourlyTemperature[] {
  const { times, values, what, positionOf } = columns;
  if (times.length !== values.length) throw new Error(`${what}: ${times.length} times but ${values.length} temperatures`);
  if (!Number.isInteger(columns.utcOffsetSeconds) || Math.abs(columns.utcOffsetSeconds) > MAX_UTC_OFFSET_SECONDS) {
    throw new Error(`${what}: utc_offset_seconds ${quoted(columns.utcOffsetSeconds)} is not a UTC offset (whole seconds, at most ±18 h)`);
  }
  const convert = toCelsius(columns.unit, what);
  const points: HourlyTemperature[] = [];
  let previousMs: number | undefined;
  times.forEach((label, i) => {
    const wallMs = typeof label === 'string' ? naiveTimestampMs(label) : undefined;
    if (wallMs === undefined) throw new Error(`${what}: ${positionOf(i)} is not a timestamp: ${quoted(label)}`);
    const ms = checkedWeatherInstant(wallMs - columns.utcOffsetSeconds * 1000, what, positionOf(i));
    if (previousMs !== undefined && ms - previousMs !== HOUR_MS) {
      throw new Error(`${what}: ${positionOf(i)} (${quoted(label)}) is not one hour after the row before it`);
    }
    previousMs = ms;
    const raw = values[i];
    if (raw === null) return;
    const temperatureC = typeof raw === 'number' ? convert(raw) : NaN;
    if (!Celsius.safeParse(temperatureC).success) {
      throw new Error(`${what}: temperature at ${positionOf(i)} is not a plausible reading: ${quoted(raw)}`);
    }
    points.push({ time: toInstant(ms), temperatureC });
  });
  if (points.length === 0) throw new Error(`${what} holds no temperature`);
  return points;
}
