import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { POWERTOOLS_NAMESPACE, RECONCILE_METRICS, SHADOW_PUSH_METRICS, functions } from '../wiring/index.ts';

/**
 * The fleet's health as the handlers count it (wiring/metrics.ts): Powertools publishes each metric in the Hearth
 * namespace with a `service` dimension, the function's id. The period matches the reconciliation schedule.
 */
const PERIOD = Duration.minutes(15);

const metric = (service: string, metricName: string, label: string, statistic = 'Maximum'): Metric =>
  new Metric({ namespace: POWERTOOLS_NAMESPACE, metricName, dimensionsMap: { service }, statistic, period: PERIOD, label });

const reconcile = (key: keyof typeof RECONCILE_METRICS, label: string) => metric(functions.reconcileDevices.id, RECONCILE_METRICS[key], label);

/** Share of registered devices silent past the reconciliation threshold, in percent. */
export function silentDevicesPercent(): IMetric {
  return new MathExpression({
    expression: 'IF(registered > 0, 100 * silent / registered, 0)',
    usingMetrics: { silent: reconcile('silent', 'silent'), registered: reconcile('registered', 'registered') },
    label: 'silent devices (%)',
    period: PERIOD,
  });
}

/** Devices by alignment with their plan. */
export const alignmentMetrics = (): IMetric[] => [
  reconcile('following', 'following'),
  reconcile('lagging', 'lagging'),
  reconcile('diverged', 'diverged'),
  reconcile('offline', 'offline'),
  reconcile('silent', 'silent'),
];

/** Shadow pushes by outcome: what delta suppression saves shows as suppressed against pushed. */
export const shadowPushMetrics = (): IMetric[] =>
  (Object.entries(SHADOW_PUSH_METRICS) as [string, string][]).map(([label, name]) => metric(functions.pushShadow.id, name, label, 'Sum'));
