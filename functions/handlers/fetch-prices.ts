import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { explainIssues } from '../../schemas/explain.ts';
import { Zone } from '../../schemas/primitives.ts';
import { EVENT_BUS_ENV } from '../../wiring/functions.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { fetchDayAheadPrices } from '../adapters/prices/energidataservice.ts';
import { getEventBridge } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/environment.ts';
import { logger, metrics } from '../commons/observability.ts';
import { PartialRefreshError } from '../domain/market/refresh-error.ts';
import { dayAheadWindow, refreshPrices, type PriceSource, type RefreshPricesPorts } from '../domain/market/refresh-prices.ts';
import { systemClock } from '../ports/clock.ts';

export const ENERGIDATASERVICE_URL_ENV = 'ENERGIDATASERVICE_URL';
/** Per attempt; three attempts per zone stay well inside the 60 s function timeout for both DK zones. */
const REQUEST_TIMEOUT_MS = 5_000;

/** The schedule's input (wiring `fetchPrices`). */
export const FetchPricesInput = z
  .object({ source: z.literal('energidataservice'), zones: z.array(Zone).min(1).max(20) })
  .strict();

const energiDataServiceSource =
  (baseUrl: string): PriceSource =>
  (zone, from, to) =>
    fetchDayAheadPrices({ baseUrl, zone, from, to, timeoutMs: REQUEST_TIMEOUT_MS });

/** Today's and tomorrow's day-ahead prices per zone into MarketData; `PricesPublished` for what changed. */
export function makeHandler(overrides: Partial<RefreshPricesPorts> = {}) {
  let ports: RefreshPricesPorts | undefined;
  const getPorts = (): RefreshPricesPorts =>
    (ports ??= {
      source: overrides.source ?? energiDataServiceSource(requireEnv(ENERGIDATASERVICE_URL_ENV)),
      store: overrides.store ?? dynamoStores.marketData(),
      events: overrides.events ?? new EventBridgePublisher(getEventBridge(), requireEnv(EVENT_BUS_ENV)),
      clock: overrides.clock ?? systemClock,
    });

  return middy(async (event: unknown, _context: Context) => {
    const input = FetchPricesInput.safeParse(event);
    if (!input.success) throw new Error(`fetch-prices input is invalid: ${explainIssues(input.error)}`);
    const p = getPorts();
    const window = dayAheadWindow(p.clock.now());
    try {
      const zones = await refreshPrices({ zones: input.data.zones, ...window }, p);
      const changed = zones.reduce((n, z) => n + z.changedDays.length, 0);
      metrics.addMetric('PriceDaysChanged', MetricUnit.Count, changed);
      logger.info('prices refreshed', { window, zones });
      return { zones };
    } catch (e) {
      if (e instanceof PartialRefreshError) {
        metrics.addMetric('PriceZonesFailed', MetricUnit.Count, e.failures.length);
        logger.error('price refresh failed for some zones', { window, failures: e.failures });
      }
      throw e;
    }
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
