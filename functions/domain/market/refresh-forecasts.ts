import type { EventDetail } from '../../../schemas/events.ts';
import type { WeatherCell, WeatherForecast } from '../../../schemas/weather-forecast.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { DeviceRegistry, MarketDataStore } from '../../ports/stores.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';
import { PartialRefreshError, errorMessage, type RefreshFailure } from './refresh-error.ts';
import { contentHash, weatherSeries } from './series-keys.ts';
import { splitByUtcDay } from './split-by-day.ts';
import { DAY_MS, HOUR_MS, toInstant, utcDayStartMs } from './time.ts';

/** Fetches the current forecast for one cell. */
export type ForecastSource = (cell: WeatherCell) => Promise<WeatherForecast>;

export interface RefreshForecastsPorts {
  devices: DeviceRegistry;
  source: ForecastSource;
  store: MarketDataStore;
  events: EventPublisher;
  clock: Clock;
  /**
   * The cells this source serves (NWS: the US only); all when absent. Two sources must never serve one cell:
   * each would overwrite the other's forecast and announce a change on every run.
   */
  covers?: (cell: WeatherCell) => boolean;
}

export interface CellForecastOutcome {
  cellId: string;
  /** When the forecast just fetched was issued: its age even where no day changed (an unchanged day keeps its old `issuedAt` in the store). */
  issuedAt: string;
  changedDays: string[];
  unchangedDays: string[];
  published: boolean;
}

/** Old forecasts only serve the planner's persistence fallback and debugging. */
export const FORECAST_RETENTION_DAYS = 30;
/** Requests in flight at once: enough for a few hundred cells within the Lambda timeout, gentle on the API. */
export const FORECAST_CONCURRENCY = 4;

/** The fleet's distinct weather cells, by the id devices are indexed under; the first device (by id) names the coordinates. */
export function distinctCells(devices: readonly { deviceId: string; weatherCellId: string; weatherCell: WeatherCell }[]): WeatherCell[] {
  const cells = new Map<string, WeatherCell>();
  for (const d of [...devices].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1))) {
    if (!cells.has(d.weatherCellId)) cells.set(d.weatherCellId, { ...d.weatherCell, id: d.weatherCellId });
  }
  return [...cells.values()];
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What makes a forecast day different: not its issue time, which changes on every fetch. */
const forecastContent = (day: WeatherForecast) => ({ source: day.source, cell: day.cell, resolutionMinutes: day.resolutionMinutes, points: day.points });

async function refreshCell(cell: WeatherCell, ports: RefreshForecastsPorts): Promise<{ outcome: CellForecastOutcome; event?: EventDetail<'ForecastUpdated'> }> {
  const forecast = await ports.source(cell);
  const series = weatherSeries(cell.id);
  const updatedAt = ports.clock.now().toISOString();
  const outcome: CellForecastOutcome = { cellId: cell.id, issuedAt: forecast.issuedAt, changedDays: [], unchangedDays: [], published: false };
  const changed: WeatherForecast[] = [];
  // A newer forecast supersedes the older one, so each day is replaced, not merged.
  for (const slice of splitByUtcDay(forecast.points, (p) => p.time)) {
    const payload: WeatherForecast = { ...forecast, cell, points: slice.points };
    const expiresAt = new Date(utcDayStartMs(slice.day) + FORECAST_RETENTION_DAYS * DAY_MS);
    const result = await ports.store.putDay({ series, day: slice.day, hash: contentHash(forecastContent(payload)), updatedAt, payload }, expiresAt);
    if (result === 'unchanged') outcome.unchangedDays.push(slice.day);
    else {
      outcome.changedDays.push(slice.day);
      changed.push(payload);
    }
  }
  if (changed.length === 0) return { outcome };
  const lastPoints = changed[changed.length - 1]!.points;
  return {
    outcome: { ...outcome, published: true },
    event: {
      cellId: cell.id,
      source: forecast.source,
      issuedAt: forecast.issuedAt,
      from: changed[0]!.points[0]!.time,
      to: toInstant(Date.parse(lastPoints[lastPoints.length - 1]!.time) + HOUR_MS),
    },
  };
}

/**
 * ONE request per distinct weather cell of the fleet (devices share cells), each UTC day stored, and one
 * `ForecastUpdated` per cell whose forecast changed. Like the price refresh, a failing cell does not stop
 * the others; a `PartialRefreshError` follows their events.
 */
export async function refreshForecasts(ports: RefreshForecastsPorts): Promise<CellForecastOutcome[]> {
  const cells = distinctCells(await ports.devices.listAll()).filter((cell) => ports.covers?.(cell) ?? true);
  const outcomes: CellForecastOutcome[] = [];
  const events: EventDetail<'ForecastUpdated'>[] = [];
  const failures: RefreshFailure[] = [];
  await forEachLimited(cells, FORECAST_CONCURRENCY, async (cell) => {
    try {
      const { outcome, event } = await refreshCell(cell, ports);
      outcomes.push(outcome);
      if (event) events.push(event);
    } catch (e) {
      failures.push({ key: cell.id, message: errorMessage(e) });
    }
  });
  // Cells finish in any order; sorted by cell, a run's outcome does not depend on network timing.
  events.sort((a, b) => byId(a.cellId, b.cellId));
  failures.sort((a, b) => byId(a.key, b.key));
  outcomes.sort((a, b) => byId(a.cellId, b.cellId));
  if (events.length > 0) await ports.events.publish('ForecastUpdated', events);
  if (failures.length > 0) throw new PartialRefreshError('forecast refresh', cells.length, failures, outcomes);
  return outcomes;
}
