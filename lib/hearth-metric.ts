import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, SearchExpression, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { POWERTOOLS_NAMESPACE, functions, type FunctionKey } from '../wiring/index.ts';

export interface HearthMetricOptions {
  /** Default `Maximum`: most Hearth metrics are one count or level per run. */
  readonly statistic?: string;
  /** Default 5 minutes. */
  readonly period?: Duration;
  readonly label?: string;
  /** Dimensions beyond `service`, e.g. `source` and `zone` of the price age. */
  readonly dimensions?: Record<string, string>;
}

/**
 * A custom metric (wiring/metrics.ts) as Powertools publishes it: in the Hearth namespace, with the emitting
 * function's id as the `service` dimension.
 */
export function hearthMetric(emitter: FunctionKey, metricName: string, options: HearthMetricOptions = {}): Metric {
  return new Metric({
    namespace: POWERTOOLS_NAMESPACE,
    metricName,
    dimensionsMap: { service: functions[emitter].id, ...options.dimensions },
    statistic: options.statistic ?? 'Maximum',
    period: options.period ?? Duration.minutes(5),
    ...(options.label !== undefined ? { label: options.label } : {}),
  });
}

/**
 * Every series of a custom metric that carries more dimensions than `service` (one per price zone, one per
 * forecast source), found by a CloudWatch SEARCH: a zone added to a schedule shows up without a change here.
 */
export function hearthMetricSearch(emitter: FunctionKey, metricName: string, extraDimensions: readonly string[], statistic: string, period: Duration): IMetric {
  const schema = [POWERTOOLS_NAMESPACE, 'service', ...extraDimensions].join(',');
  return new SearchExpression({
    expression: `SEARCH('{${schema}} MetricName="${metricName}" service="${functions[emitter].id}"', '${statistic}', ${period.toSeconds()})`,
    // No label of its own: each series is named by its dimensions.
    label: '',
    period,
  });
}

/**
 * `part` as a percentage of `whole`, 0 while `whole` is 0 (an empty fleet, an idle function), so a share never
 * divides by zero.
 */
export function percentOf(part: IMetric, whole: IMetric, label: string, period: Duration): MathExpression {
  return new MathExpression({ expression: 'IF(whole > 0, 100 * part / whole, 0)', usingMetrics: { part, whole }, label, period });
}
