import { splitCsv } from '../csv/split-lines.ts';
import { hourlyTemperatures, type HourlyTemperature } from './hourly-temperatures.ts';

export interface OpenMeteoCsvSeries {
  latitude: number;
  longitude: number;
  elevation: number;
  utcOffsetSeconds: number;
  timezone: string;
  points: HourlyTemperature[];
}

/** `temperature` (a column renamed by hand, Open-Meteo's default unit °C) or `temperature_2m (°C|°F)`. */
const TEMPERATURE_HEADER = /^temperature(?:_2m \((°[CF])\))?$/;

function metadataNumber(names: string[], values: string[], name: string, what: string): number {
  const v = Number(values[names.indexOf(name)]);
  if (names.indexOf(name) < 0 || !Number.isFinite(v)) throw new Error(`${what}: line 2 has no numeric ${name}`);
  return v;
}

/**
 * An Open-Meteo CSV export: a two-line metadata block (`latitude,…,utc_offset_seconds,timezone,…`), a blank
 * line, the column header, then one row per hour labelled UTC + `utc_offset_seconds` (one fixed offset,
 * no DST switch). Returns the temperatures as UTC points.
 */
export function parseOpenMeteoCsv(text: string, what = 'Open-Meteo CSV'): OpenMeteoCsvSeries {
  const [metaHeader, metaValues, columnHeader, ...rows] = splitCsv(text, ',');
  if (!metaHeader || !metaValues || !columnHeader) throw new Error(`${what}: expected a metadata block and a column header`);
  const names = metaHeader.cells.map((c) => c.trim());
  const values = metaValues.cells;
  const utcOffsetSeconds = metadataNumber(names, values, 'utc_offset_seconds', what);
  if (columnHeader.cells[0]?.trim() !== 'time') throw new Error(`${what}: line ${columnHeader.line} does not start with a time column`);
  const temperatureAt = columnHeader.cells.findIndex((c) => TEMPERATURE_HEADER.test(c.trim()));
  if (temperatureAt < 0) throw new Error(`${what}: line ${columnHeader.line} has no temperature column`);
  const unit = TEMPERATURE_HEADER.exec(columnHeader.cells[temperatureAt]!.trim())![1] ?? '°C';

  const points = hourlyTemperatures({
    times: rows.map((r) => r.cells[0]),
    values: rows.map((r) => {
      const cell = r.cells[temperatureAt]?.trim();
      if (cell === undefined || cell === '') return null;
      return /^-?\d+(?:\.\d+)?$/.test(cell) ? Number(cell) : cell;
    }),
    unit,
    utcOffsetSeconds,
    what,
    positionOf: (i) => `line ${rows[i]!.line}`,
  });
  return {
    latitude: metadataNumber(names, values, 'latitude', what),
    longitude: metadataNumber(names, values, 'longitude', what),
    elevation: metadataNumber(names, values, 'elevation', what),
    utcOffsetSeconds,
    timezone: values[names.indexOf('timezone')]?.trim() ?? 'GMT',
    points,
  };
}
