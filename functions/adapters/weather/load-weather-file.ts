import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseJsonBody } from '../http/fetch-with-retry.ts';
import type { HourlyTemperature } from './hourly-temperatures.ts';
import { parseNwsForecastHourly, parseNwsGridpoints } from './nws.ts';
import { parseOpenMeteoArchive } from './open-meteo-archive.ts';
import { parseOpenMeteoCsv } from './open-meteo-csv.ts';

export type WeatherFileFormat = 'open-meteo-json' | 'open-meteo-csv' | 'nws-gridpoints-json' | 'nws-hourly-json';

export interface LoadedWeather {
  format: WeatherFileFormat;
  /** Where the data are for, when the file says (Open-Meteo does; NWS grids are polygons). */
  latitude?: number;
  longitude?: number;
  /** Hourly, UTC, ascending. */
  points: HourlyTemperature[];
  /** NWS: when the forecast was made. */
  issuedAt?: string;
}

/** Which weather format a document is: Open-Meteo JSON (archive or forecast) or CSV export, NWS grid or hourly forecast. */
export function detectWeatherFormat(text: string, what: string): WeatherFileFormat {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('latitude,')) return 'open-meteo-csv';
  if (!head.startsWith('{')) throw new Error(`${what}: not a weather format Hearth reads`);
  const body = parseJsonBody(text, what) as { hourly?: unknown; properties?: { temperature?: unknown; periods?: unknown } };
  if (body.hourly !== undefined) return 'open-meteo-json';
  if (body.properties?.temperature !== undefined) return 'nws-gridpoints-json';
  if (body.properties?.periods !== undefined) return 'nws-hourly-json';
  throw new Error(`${what}: a JSON document of no known weather source`);
}

export function readWeatherDocument(text: string, what: string, format = detectWeatherFormat(text, what)): LoadedWeather {
  switch (format) {
    case 'open-meteo-csv': {
      const { latitude, longitude, points } = parseOpenMeteoCsv(text, what);
      return { format, latitude, longitude, points };
    }
    case 'open-meteo-json': {
      const { latitude, longitude, points } = parseOpenMeteoArchive(parseJsonBody(text, what), what);
      return { format, latitude, longitude, points };
    }
    case 'nws-gridpoints-json':
      return { format, ...parseNwsGridpoints(parseJsonBody(text, what)) };
    case 'nws-hourly-json':
      return { format, ...parseNwsForecastHourly(parseJsonBody(text, what)) };
  }
}

/** Reads a weather file as published (the shared Open-Meteo years, saved API answers) for a backtest; errors name the file. */
export async function loadWeatherFile(path: string, format?: WeatherFileFormat): Promise<LoadedWeather> {
  const text = await readFile(path, 'utf8');
  const what = basename(path);
  try {
    return readWeatherDocument(text, what, format);
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(message.includes(what) ? message : `${what}: ${message}`);
  }
}
