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
import { PRICE_SOURCES } from '../adapters/prices/sources.ts';
import { getEventBridge } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/environment.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
import { PRICE_METRICS } from '../../wiring/metrics.ts';
import { readPriceDataAge, type DataAge } from '../domain/market/data-age.ts';
import { PartialRefreshError } from '../domain/market/refresh-error.ts';
import { dayAheadWindow, refreshPrices, type PriceSource, type RefreshPricesPorts } from '../domain/market/refresh-prices.ts';
import { systemClock } from '../ports/clock.ts';
import type { MarketDataStore } from '../ports/stores.ts';

export const ENERGIDATASERVICE_URL_ENV = 'ENERGIDATASERVICE_URL';
/**
 * Per attempt; three attempts with backoff (≈ 16 s) per zone, zones in parallel (refresh-prices), stay inside
 * the 60 s function timeout even when the source hangs.
 */
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * The sources a schedule can name: those with an API Hearth can call without a secret. ENTSO-E needs a token
 * (Secrets Manager, not wired yet) and Octopus a product code per region; both fetch fine when given them.
 */
const SCHEDULED_SOURCES = ['energidataservice', 'nordpool', 'awattar'] as const;
type ScheduledSource = (typeof SCHEDULED_SOURCES)[number];
/** Where each source's API is: the wiring's environment (the local twin points it at a stand-in), else the public API. */
const URL_ENV: Record<ScheduledSource, string> = { energidataservice: ENERGIDATASERVICE_URL_ENV, nordpool: 'NORDPOOL_URL', awattar: 'AWATTAR_URL' };

/** The schedule's input (wiring `fetchPrices`). */
export const FetchPricesInput = z
  .object({ source: z.enum(SCHEDULED_SOURCES), zones: z.array(Zone).min(1).max(20) })
  .strict();

function sourceFor(id: ScheduledSource): PriceSource {
  // EDS is the one the wiring configures (and the twin replaces); the others fall back to their public API.
  const baseUrl = id === 'energidataservice' ? requireEnv(URL_ENV[id]) : process.env[URL_ENV[id]] || undefined;
  const adapter = PRICE_SOURCES[id];
  return (zone, from, to) => adapter.fetch!({ zone, from, to }, { baseUrl, timeoutMs: REQUEST_TIMEOUT_MS });
}

/**
 * STALE DATA, detected on every run whatever the fetch did: per zone, the age of the newest stored day
 * (`PriceDataAgeHours`) and how far ahead prices reach (`PriceHorizonHours`), with dimensions source and zone;
 * `PriceZonesStale` counts zones older than PRICE_STALE_AFTER_HOURS or with nothing stored (alarm on ≥ 1).
 */
async function reportPriceAge(source: string, zones: readonly string[], store: MarketDataStore, now: Date): Promise<DataAge[]> {
  const ages = await Promise.all(zones.map((zone) => readPriceDataAge(store, zone, now)));
  zones.forEach((zone, i) => {
    const age = ages[i]!;
    if (age.ageHours === undefined) return;
    const single = metrics.singleMetric();
    single.addDimensions({ source, zone });
    single.addMetric(PRICE_METRICS.dataAgeHours, MetricUnit.NoUnit, age.ageHours);
    single.addMetric(PRICE_METRICS.horizonHours, MetricUnit.NoUnit, age.horizonHours ?? 0);
  });
  const stale = zones.filter((_, i) => ages[i]!.stale);
  metrics.addMetric(PRICE_METRICS.zonesStale, MetricUnit.Count, stale.length);
  if (stale.length > 0) logger.warn('price data are stale', { stale: stale.map((zone) => ({ zone, ...ages[zones.indexOf(zone)] })) });
  return ages;
}

/** Today's and tomorrow's day-ahead prices per zone into MarketData; `PricesPublished` for what changed. */
export function makeHandler(overrides: Partial<RefreshPricesPorts> = {}) {
  const ports = new Map<ScheduledSource, RefreshPricesPorts>();
  const getPorts = (id: ScheduledSource): RefreshPricesPorts => {
    let p = ports.get(id);
    if (!p) {
      p = {
        source: overrides.source ?? sourceFor(id),
        store: overrides.store ?? dynamoStores.marketData(),
        events: overrides.events ?? new EventBridgePublisher(getEventBridge(), requireEnv(EVENT_BUS_ENV)),
        clock: overrides.clock ?? systemClock,
      };
      ports.set(id, p);
    }
    return p;
  };

  return middy(async (event: unknown, _context: Context) => {
    const input = FetchPricesInput.safeParse(event);
    if (!input.success) throw new Error(`fetch-prices input is invalid: ${explainIssues(input.error)}`);
    const { source, zones: asked } = input.data;
    logger.appendKeys({ source });
    const p = getPorts(source);
    const window = dayAheadWindow(p.clock.now());
    try {
      const zones = await refreshPrices({ zones: asked, ...window }, p);
      const changed = zones.reduce((n, z) => n + z.changedDays.length, 0);
      metrics.addMetric(PRICE_METRICS.daysChanged, MetricUnit.Count, changed);
      logger.info('prices refreshed', { window, zones });
      return { zones, ages: await reportPriceAge(source, asked, p.store, p.clock.now()) };
    } catch (e) {
      if (e instanceof PartialRefreshError) {
        metrics.addMetric(PRICE_METRICS.zonesFailed, MetricUnit.Count, e.failures.length);
        logger.error('price refresh failed for some zones', { window, failures: e.failures });
      }
      // The failing zones' data only get older: measure them before the retry is asked for.
      await reportPriceAge(source, asked, p.store, p.clock.now()).catch((ageError: unknown) => logger.error('price age unreadable', { error: String(ageError) }));
      throw e;
    }
  })
    .use(injectLambdaContext(logger, LOG_CONTEXT.uncorrelated))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
