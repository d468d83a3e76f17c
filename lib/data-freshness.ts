import { Duration } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { FORECAST_METRICS, PRICE_METRICS } from '../wiring/index.ts';
import { hearthMetric, hearthMetricSearch } from './hearth-metric.ts';

/**
 * Market data as the fetchers report them on every run (wiring/metrics.ts). Stale counts take a day as their
 * period: prices are fetched four times in an afternoon, forecasts every three hours. Ages are graphed hourly.
 */
export const STALE_PERIOD = Duration.hours(24);
const AGE_PERIOD = Duration.hours(1);

/** Zones whose prices, and cells whose forecasts, are stale. */
export const staleMetrics = () => ({
  priceZones: hearthMetric('fetchPrices', PRICE_METRICS.zonesStale, { label: 'price zones stale', period: STALE_PERIOD }),
  forecastCells: hearthMetric('fetchWeather', FORECAST_METRICS.cellsStale, { label: 'forecast cells stale', period: STALE_PERIOD }),
});

/** Age of the newest day-ahead prices, one series per source and zone (hours). */
export const priceAgeBySourceAndZone = (): IMetric => hearthMetricSearch('fetchPrices', PRICE_METRICS.dataAgeHours, ['source', 'zone'], 'Maximum', AGE_PERIOD);

/** How far ahead prices reach, one series per source and zone (hours). */
export const priceHorizonBySourceAndZone = (): IMetric => hearthMetricSearch('fetchPrices', PRICE_METRICS.horizonHours, ['source', 'zone'], 'Minimum', AGE_PERIOD);

/** Age of the oldest cell's newest forecast, one series per source (hours). */
export const forecastAgeBySource = (): IMetric => hearthMetricSearch('fetchWeather', FORECAST_METRICS.dataAgeHours, ['source'], 'Maximum', AGE_PERIOD);

/** Per run: zones or cells that failed to fetch, days or cells that changed. */
export const fetchOutcomeMetrics = () => ({
  prices: [
    hearthMetric('fetchPrices', PRICE_METRICS.zonesFailed, { label: 'zones failed', statistic: 'Sum', period: AGE_PERIOD }),
    hearthMetric('fetchPrices', PRICE_METRICS.daysChanged, { label: 'days changed', statistic: 'Sum', period: AGE_PERIOD }),
  ],
  forecasts: [
    hearthMetric('fetchWeather', FORECAST_METRICS.cellsFailed, { label: 'cells failed', statistic: 'Sum', period: AGE_PERIOD }),
    hearthMetric('fetchWeather', FORECAST_METRICS.cellsChanged, { label: 'cells changed', statistic: 'Sum', period: AGE_PERIOD }),
  ],
});
