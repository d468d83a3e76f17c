import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { DATA_FRESHNESS_METRICS, POWERTOOLS_NAMESPACE, functions } from '../wiring/index.ts';

/**
 * Zones whose prices, and cells whose forecasts, are stale as the fetchers count them on every run. A day is
 * the period: prices are fetched four times in an afternoon, forecasts every three hours.
 */
const PERIOD = Duration.hours(24);

export const staleMetrics = () => ({
  priceZones: new Metric({
    namespace: POWERTOOLS_NAMESPACE,
    metricName: DATA_FRESHNESS_METRICS.priceZonesStale,
    dimensionsMap: { service: functions.fetchPrices.id },
    statistic: 'Maximum',
    period: PERIOD,
  }),
  forecastCells: new Metric({
    namespace: POWERTOOLS_NAMESPACE,
    metricName: DATA_FRESHNESS_METRICS.forecastCellsStale,
    dimensionsMap: { service: functions.fetchWeather.id },
    statistic: 'Maximum',
    period: PERIOD,
  }),
});
