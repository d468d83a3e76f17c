import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import { hourlyTemperatures } from './hourly-temperatures.ts';
import { quoted } from '../prices/quoted.ts';
import type { OpenMeteoCsvSeries } from './open-meteo-csv.ts';

const ArchiveBody = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  elevation: z.number().optional(),
  utc_offset_seconds: z.int(),
  timezone: z.string().optional(),
  hourly_units: z.looseObject({ time: z.string().optional(), temperature_2m: z.string() }),
  hourly: z.looseObject({ time: z.array(z.unknown()), temperature_2m: z.array(z.unknown()) }),
});

/**
 * An Open-Meteo historical (archive-api, ERA5) JSON answer as UTC hourly temperatures, for backtests. Like
 * every Open-Meteo answer, rows are labelled UTC + ONE `utc_offset_seconds` for the whole answer (the offset
 * when it was asked), never switching at DST: Frankfurt's file is UTC+1 in July too, Dallas's UTC−5 in
 * January. So `utc = label − offset` for every row, and every day has 24 rows.
 */
export function parseOpenMeteoArchive(body: unknown, what = 'Open-Meteo archive JSON'): OpenMeteoCsvSeries {
  const parsed = ArchiveBody.safeParse(body);
  if (!parsed.success) throw new Error(`${what} is invalid: ${explainIssues(parsed.error)}`);
  const { hourly, hourly_units: units, utc_offset_seconds: utcOffsetSeconds } = parsed.data;
  if (units.time !== undefined && units.time !== 'iso8601') throw new Error(`${what}: hourly times are ${quoted(units.time)}; expected iso8601`);
  const points = hourlyTemperatures({
    times: hourly.time,
    values: hourly.temperature_2m,
    unit: units.temperature_2m,
    utcOffsetSeconds,
    what,
    positionOf: (i) => `hourly.time[${i}]`,
  });
  return {
    latitude: parsed.data.latitude,
    longitude: parsed.data.longitude,
    elevation: parsed.data.elevation ?? Number.NaN,
    utcOffsetSeconds,
    timezone: parsed.data.timezone ?? 'GMT',
    points,
  };
}
