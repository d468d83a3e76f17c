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
import { fetchOpenMeteoForecast } from '../adapters/weather/open-meteo.ts';
import { getEventBridge } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/environment.ts';
import { logger, metrics } from '../commons/observability.ts';
import { PartialRefreshError } from '../domain/market/refresh-error.ts';
import { refreshForecasts, type RefreshForecastsPorts } from '../domain/market/refresh-forecasts.ts';
import { systemClock, type Clock } from '../ports/clock.ts';

export const OPEN_METEO_URL_ENV = 'OPEN_METEO_URL';
const REQUEST_TIMEOUT_MS = 5_000;

/** The schedule's input (wiring `fetchWeather`). */
export const FetchWeatherInput = z.object({ source: z.literal('open-meteo') }).strict();

const openMeteoSource = (baseUrl: string, clock: Clock) => (cell: WeatherCell) =>
  fetchOpenMeteoForecast({ baseUrl, cell, issuedAt: clock.now(), timeoutMs: REQUEST_TIMEOUT_MS });

/** One forecast per weather cell of the fleet into MarketData; `ForecastUpdated` for cells that changed. */
export function makeHandler(overrides: Partial<RefreshForecastsPorts> = {}) {
  let ports: RefreshForecastsPorts | undefined;
  const getPorts = (): RefreshForecastsPorts => {
    if (ports) return ports;
    const clock = overrides.clock ?? systemClock;
    ports = {
      devices: overrides.devices ?? dynamoStores.devices(),
      source: overrides.source ?? openMeteoSource(requireEnv(OPEN_METEO_URL_ENV), clock),
      store: overrides.store ?? dynamoStores.marketData(),
      events: overrides.events ?? new EventBridgePublisher(getEventBridge(), requireEnv(EVENT_BUS_ENV)),
      clock,
    };
    return ports;
  };

  return middy(async (event: unknown, _context: Context) => {
    const input = FetchWeatherInput.safeParse(event);
    if (!input.success) throw new Error(`fetch-weather input is invalid: ${explainIssues(input.error)}`);
    try {
      const cells = await refreshForecasts(getPorts());
      metrics.addMetric('ForecastCellsChanged', MetricUnit.Count, cells.filter((c) => c.published).length);
      logger.info('forecasts refreshed', { cells: cells.length, changed: cells.filter((c) => c.published).map((c) => c.cellId) });
      return { cells };
    } catch (e) {
      if (e instanceof PartialRefreshError) {
        metrics.addMetric('ForecastCellsFailed', MetricUnit.Count, e.failures.length);
        logger.error('forecast refresh failed for some cells', { failures: e.failures });
      }
      throw e;
    }
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
