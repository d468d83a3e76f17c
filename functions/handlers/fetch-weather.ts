import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { explainIssues } from '../../schemas/explain.ts';
import type { WeatherCell } from '../../schemas/weather-forecast.ts';
import { EVENT_BUS_ENV } from '../../wiring/functions.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { fetchNwsForecast, inNwsArea } from '../adapters/weather/nws.ts';
import { fetchOpenMeteoForecast } from '../adapters/weather/open-meteo.ts';
import { getEventBridge } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/environment.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
import { FORECAST_METRICS } from '../../wiring/metrics.ts';
import { FORECAST_STALE_AFTER_HOURS, readForecastDataAge } from '../domain/market/data-age.ts';
import { HOUR_MS } from '../domain/market/time.ts';
import { PartialRefreshError } from '../domain/market/refresh-error.ts';
import { refreshForecasts, type CellForecastOutcome, type ForecastSource, type RefreshForecastsPorts } from '../domain/market/refresh-forecasts.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { MarketDataStore } from '../ports/stores.ts';

export const OPEN_METEO_URL_ENV = 'OPEN_METEO_URL';
/** Optional: the public API unless set (the local twin points it at a stand-in). */
export const NWS_URL_ENV = 'NWS_URL';
/** NWS blocks anonymous clients: set an application name and contact for a deployment. */
export const NWS_USER_AGENT_ENV = 'NWS_USER_AGENT';
const DEFAULT_NWS_USER_AGENT = 'hearth-orchestrator (https://github.com/hearth)';
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * The schedule's input (wiring `fetchWeather`): `open-meteo` serves every cell, or every cell outside the US
 * with `exceptNwsArea` (when an `nws` schedule serves the US ones); `nws` serves the US cells only.
 */
export const FetchWeatherInput = z
  .object({ source: z.enum(['open-meteo', 'nws']), exceptNwsArea: z.boolean().optional() })
  .strict()
  .refine((i) => !(i.source === 'nws' && i.exceptNwsArea), { message: 'exceptNwsArea applies to open-meteo only', path: ['exceptNwsArea'] });
type WeatherSourceId = z.infer<typeof FetchWeatherInput>['source'];

const openMeteoSource = (baseUrl: string, clock: Clock): ForecastSource => (cell: WeatherCell) =>
  fetchOpenMeteoForecast({ baseUrl, cell, issuedAt: clock.now(), timeoutMs: REQUEST_TIMEOUT_MS });

/** NWS grid squares per cell, kept for the container's life: after the first run, one request per cell. */
const nwsGridCache = new Map<string, string>();
const nwsSource = (): ForecastSource => (cell: WeatherCell) =>
  fetchNwsForecast({
    baseUrl: process.env[NWS_URL_ENV] || undefined,
    cell,
    timeoutMs: REQUEST_TIMEOUT_MS,
    userAgent: process.env[NWS_USER_AGENT_ENV] || DEFAULT_NWS_USER_AGENT,
    gridCache: nwsGridCache,
  });

/**
 * STALE DATA: the age of each cell's newest forecast — the one just fetched (its `issuedAt`; an unchanged
 * forecast is not re-stored, so the store would understate freshness), or for a failed cell the newest stored.
 * `ForecastDataAgeHours` is the oldest cell's age per source; `ForecastCellsStale` counts cells older than
 * FORECAST_STALE_AFTER_HOURS or with nothing stored (alarm on ≥ 1).
 */
async function reportForecastAge(source: string, fetched: readonly CellForecastOutcome[], failedCells: readonly string[], store: MarketDataStore, now: Date) {
  const ages = [
    ...fetched.map((c): { cellId: string; ageHours?: number } => ({ cellId: c.cellId, ageHours: (now.getTime() - Date.parse(c.issuedAt)) / HOUR_MS })),
    ...(await Promise.all(failedCells.map(async (cellId) => ({ cellId, ageHours: (await readForecastDataAge(store, cellId, now)).ageHours })))),
  ];
  const known = ages.flatMap((a) => (a.ageHours === undefined ? [] : [a.ageHours]));
  if (known.length > 0) {
    const single = metrics.singleMetric();
    single.addDimensions({ source });
    single.addMetric(FORECAST_METRICS.dataAgeHours, MetricUnit.NoUnit, Math.round(Math.max(...known) * 100) / 100);
  }
  const stale = ages.filter((a) => a.ageHours === undefined || a.ageHours > FORECAST_STALE_AFTER_HOURS);
  metrics.addMetric(FORECAST_METRICS.cellsStale, MetricUnit.Count, stale.length);
  if (stale.length > 0) logger.warn('forecasts are stale', { stale: stale.slice(0, 20) });
}

/** One forecast per weather cell of the fleet into MarketData; `ForecastUpdated` for cells that changed. */
export function makeHandler(overrides: Partial<RefreshForecastsPorts> = {}) {
  const ports = new Map<string, RefreshForecastsPorts>();
  const getPorts = (id: WeatherSourceId, exceptNwsArea: boolean): RefreshForecastsPorts => {
    const key = `${id}|${exceptNwsArea}`;
    let p = ports.get(key);
    if (!p) {
      const clock = overrides.clock ?? systemClock;
      const covers = id === 'nws' ? inNwsArea : exceptNwsArea ? (cell: WeatherCell) => !inNwsArea(cell) : undefined;
      p = {
        devices: overrides.devices ?? dynamoStores.devices(),
        source: overrides.source ?? (id === 'nws' ? nwsSource() : openMeteoSource(requireEnv(OPEN_METEO_URL_ENV), clock)),
        store: overrides.store ?? dynamoStores.marketData(),
        events: overrides.events ?? new EventBridgePublisher(getEventBridge(), requireEnv(EVENT_BUS_ENV)),
        clock,
        ...(covers && { covers }),
      };
      ports.set(key, p);
    }
    return p;
  };

  return middy(async (event: unknown, _context: Context) => {
    const input = FetchWeatherInput.safeParse(event);
    if (!input.success) throw new Error(`fetch-weather input is invalid: ${explainIssues(input.error)}`);
    const { source } = input.data;
    logger.appendKeys({ source });
    const p = getPorts(source, input.data.exceptNwsArea ?? false);
    try {
      const cells = await refreshForecasts(p);
      metrics.addMetric(FORECAST_METRICS.cellsChanged, MetricUnit.Count, cells.filter((c) => c.published).length);
      logger.info('forecasts refreshed', { cells: cells.length, changed: cells.filter((c) => c.published).map((c) => c.cellId) });
      await reportForecastAge(source, cells, [], p.store, p.clock.now());
      return { cells };
    } catch (e) {
      if (e instanceof PartialRefreshError) {
        metrics.addMetric(FORECAST_METRICS.cellsFailed, MetricUnit.Count, e.failures.length);
        logger.error('forecast refresh failed for some cells', { failures: e.failures });
        await reportForecastAge(source, e.refreshed as CellForecastOutcome[], e.failures.map((f) => f.key), p.store, p.clock.now()).catch((ageError: unknown) =>
          logger.error('forecast age unreadable', { error: String(ageError) }),
        );
      }
      throw e;
    }
  })
    .use(injectLambdaContext(logger, LOG_CONTEXT.uncorrelated))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
