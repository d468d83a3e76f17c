import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isKnownTimeZone, utcOffsetSeconds } from '../../functions/domain/time/zoned-time.ts';
import { parseOpenMeteoCsv } from '../../functions/adapters/weather/open-meteo-csv.ts';
import { DAY_MS, HOUR_MS } from '../../functions/domain/market/time.ts';
import { startJsonStandIn, type JsonAnswer, type StandInServer } from './json-http-server.ts';

/**
 * Open-Meteo on the local twin: `GET /v1/forecast?latitude&longitude&hourly=temperature_2m&timezone&
 * forecast_days&past_days[&temperature_unit]`, answering the real API's JSON shape and its
 * `{"error":true,"reason":…}` 400s for bad parameters.
 *
 * Data: the repo's Open-Meteo CSV samples (ERA5 actuals). THE ACTUALS ARE SERVED AS THE FORECAST: a plan made
 * on the twin sees perfect weather foresight. A forecast error model is to come; until then backtests that
 * must be honest about weather cannot use this stand-in as is. Hours the samples do not cover are `null`,
 * as Open-Meteo marks missing values.
 *
 * Like the real API, the window starts at 00:00 today in the asked time zone minus `past_days`, and rows are
 * labelled with ONE offset (the zone's offset at the virtual now) for the whole answer. Coordinates are
 * served from the nearest sample place within `maxDistanceKm`; farther away is a 400.
 */
export interface OpenMeteoStandInOptions {
  port?: number;
  now: () => Date;
  /** Open-Meteo CSV exports to serve; by default every `.csv` in `data/samples/weather`. */
  weatherFiles?: readonly string[];
  maxDistanceKm?: number;
}

interface Place {
  latitude: number;
  longitude: number;
  elevation: number;
  timezone: string;
  temperatureByUtcMs: Map<number, number>;
}

const SAMPLE_DIR = fileURLToPath(new URL('../../data/samples/weather/', import.meta.url));
const DEFAULT_MAX_DISTANCE_KM = 100;
const EARTH_RADIUS_KM = 6371;

export const defaultWeatherFiles = (): string[] =>
  readdirSync(SAMPLE_DIR)
    .filter((f) => f.endsWith('.csv'))
    .map((f) => join(SAMPLE_DIR, f));

function loadPlaces(files: readonly string[]): Place[] {
  return files.map((file) => {
    const s = parseOpenMeteoCsv(readFileSync(file, 'utf8'), file);
    return {
      latitude: s.latitude,
      longitude: s.longitude,
      elevation: s.elevation,
      timezone: s.timezone,
      temperatureByUtcMs: new Map(s.points.map((p) => [Date.parse(p.time), p.temperatureC])),
    };
  });
}

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(a));
}

class BadRequest extends Error {}

function numberParam(url: URL, name: string, min: number, max: number, fallback?: number): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') {
    if (fallback === undefined) throw new BadRequest(`Parameter '${name}' is required`);
    return fallback;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new BadRequest(`Cannot initialize Float from invalid String value ${text} for key ${name}`);
  if (value < min || value > max) throw new BadRequest(`Parameter '${name}' must be in range of ${min} to ${max}. Given: ${text}.`);
  return value;
}

function integerParam(url: URL, name: string, min: number, max: number, fallback: number): number {
  const value = numberParam(url, name, min, max, fallback);
  if (!Number.isInteger(value)) throw new BadRequest(`Cannot initialize Int from invalid String value ${value} for key ${name}`);
  return value;
}

const abbreviation = (offsetSeconds: number): string => {
  if (offsetSeconds === 0) return 'GMT';
  const sign = offsetSeconds < 0 ? '-' : '+';
  const minutes = Math.abs(offsetSeconds) / 60;
  return `GMT${sign}${Math.floor(minutes / 60)}${minutes % 60 ? `:${String(minutes % 60).padStart(2, '0')}` : ''}`;
};

function answer(url: URL, places: readonly Place[], nowMs: number, maxDistanceKm: number): JsonAnswer {
  if (url.pathname !== '/v1/forecast') return { status: 404, body: { error: true, reason: 'Not Found' } };
  try {
    const latitude = numberParam(url, 'latitude', -90, 90);
    const longitude = numberParam(url, 'longitude', -180, 180);
    const forecastDays = integerParam(url, 'forecast_days', 0, 16, 7);
    const pastDays = integerParam(url, 'past_days', 0, 92, 0);
    const hourly = (url.searchParams.get('hourly') ?? '').split(',').filter((v) => v !== '');
    for (const variable of hourly) {
      if (variable !== 'temperature_2m') throw new BadRequest(`Cannot initialize ForecastVariable from invalid String value ${variable} for key hourly (the stand-in serves temperature_2m only)`);
    }
    const unitParam = url.searchParams.get('temperature_unit') ?? 'celsius';
    if (unitParam !== 'celsius' && unitParam !== 'fahrenheit') throw new BadRequest(`Cannot initialize TemperatureUnit from invalid String value ${unitParam} for key temperature_unit`);

    const place = places
      .map((p) => ({ p, km: distanceKm(latitude, longitude, p.latitude, p.longitude) }))
      .sort((a, b) => a.km - b.km)[0];
    if (!place || place.km > maxDistanceKm) {
      throw new BadRequest(`No sample weather within ${maxDistanceKm} km of ${latitude},${longitude}: the stand-in serves only the repo's sample places`);
    }
    const asked = url.searchParams.get('timezone') ?? 'GMT';
    const timezone = asked === 'auto' ? place.p.timezone : asked === 'UTC' ? 'GMT' : asked;
    if (timezone !== 'GMT' && !isKnownTimeZone(timezone)) throw new BadRequest(`Invalid timezone ${asked}`);
    const offsetSeconds = timezone === 'GMT' ? 0 : utcOffsetSeconds(nowMs, timezone);

    const todayLabelMs = Math.floor((nowMs + offsetSeconds * 1000) / DAY_MS) * DAY_MS;
    const firstLabelMs = todayLabelMs - pastDays * DAY_MS;
    const labels = Array.from({ length: (pastDays + forecastDays) * 24 }, (_, i) => firstLabelMs + i * HOUR_MS);
    const toUnit = unitParam === 'fahrenheit' ? (c: number) => Math.round((c * 9) / 5 * 10 + 320) / 10 : (c: number) => c;
    return {
      status: 200,
      body: {
        latitude: place.p.latitude,
        longitude: place.p.longitude,
        generationtime_ms: 0.1,
        utc_offset_seconds: offsetSeconds,
        timezone,
        timezone_abbreviation: abbreviation(offsetSeconds),
        elevation: place.p.elevation,
        ...(hourly.length
          ? {
              hourly_units: { time: 'iso8601', temperature_2m: unitParam === 'fahrenheit' ? '°F' : '°C' },
              hourly: {
                time: labels.map((ms) => new Date(ms).toISOString().slice(0, 16)),
                temperature_2m: labels.map((ms) => {
                  const c = place.p.temperatureByUtcMs.get(ms - offsetSeconds * 1000);
                  return c === undefined ? null : toUnit(c);
                }),
              },
            }
          : {}),
      },
    };
  } catch (e) {
    if (e instanceof BadRequest) return { status: 400, body: { error: true, reason: e.message } };
    throw e;
  }
}

export async function startOpenMeteoServer(options: OpenMeteoStandInOptions): Promise<StandInServer> {
  const places = loadPlaces(options.weatherFiles ?? defaultWeatherFiles());
  const maxDistanceKm = options.maxDistanceKm ?? DEFAULT_MAX_DISTANCE_KM;
  return startJsonStandIn({ port: options.port, route: (url) => answer(url, places, options.now().getTime(), maxDistanceKm) });
}
