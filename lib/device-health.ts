import { Duration } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { DEVICES_API_METRICS, PLAN_METRICS, RECONCILE_METRICS, SHADOW_PUSH_METRICS } from '../wiring/index.ts';
import { hearthMetric, percentOf } from './hearth-metric.ts';

/**
 * The device plane as the handlers count it (wiring/metrics.ts): how devices stand against their plans, how plans
 * reach their shadows, how long planning takes. The reconciliation metrics' period is its schedule's.
 */
export const RECONCILE_PERIOD = Duration.minutes(15);
const PERIOD = Duration.minutes(5);

export const reconcileMetric = (key: keyof typeof RECONCILE_METRICS, label: string = key, statistic = 'Maximum') =>
  hearthMetric('reconcileDevices', RECONCILE_METRICS[key], { label, statistic, period: RECONCILE_PERIOD });

/** Share of registered devices silent past the reconciliation threshold, in percent. */
export const silentDevicesPercent = (): IMetric => percentOf(reconcileMetric('silent'), reconcileMetric('registered'), 'silent devices (%)', RECONCILE_PERIOD);

/** Share of registered devices offline (silent, or disconnected since their last telemetry), in percent. */
export const offlineDevicesPercent = (): IMetric => percentOf(reconcileMetric('offline'), reconcileMetric('registered'), 'offline devices (%)', RECONCILE_PERIOD);

/** Share of registered devices with no plan, or one that runs out within 6 h, in percent. */
export const plansExpiringPercent = (): IMetric =>
  percentOf(reconcileMetric('plansExpiringSoon'), reconcileMetric('registered'), 'devices whose plan is missing or expiring (%)', RECONCILE_PERIOD);

/** Devices by alignment with their plan, and those online at all. */
export const alignmentMetrics = (): IMetric[] => [
  reconcileMetric('online'),
  reconcileMetric('following'),
  reconcileMetric('lagging'),
  reconcileMetric('diverged'),
  reconcileMetric('offline'),
  reconcileMetric('silent'),
];

/** Plan freshness: devices whose plan is missing or runs out within 6 h, and the oldest plan's age. */
export const planFreshnessMetrics = () => ({
  expiringSoon: reconcileMetric('plansExpiringSoon', 'plans missing or expiring within 6 h'),
  oldestAgeHours: reconcileMetric('oldestPlanAgeHours', 'oldest plan (h)'),
});

const shadowPush = (key: keyof typeof SHADOW_PUSH_METRICS, statistic = 'Sum') =>
  hearthMetric('pushShadow', SHADOW_PUSH_METRICS[key], { label: key, statistic, period: PERIOD });

/** Shadow pushes by outcome: what delta suppression saves shows as suppressed against pushed; throttled is 429s retried. */
export const shadowPushMetrics = (): IMetric[] =>
  (['pushed', 'suppressed', 'conflictRetried', 'failed', 'throttled'] as const).map((key) => shadowPush(key));

/** Latency of one shadow update (first attempt to answer), as percentiles over every update in the period. */
export const shadowPushLatencyMetrics = (): IMetric[] =>
  (['p50', 'p90', 'p99'] as const).map((statistic) => hearthMetric('pushShadow', SHADOW_PUSH_METRICS.latencyMs, { label: `latency ${statistic} (ms)`, statistic, period: PERIOD }));

/** The registry through the operator API: devices registered and decommissioned. */
export const registryChangeMetrics = (): IMetric[] => [
  hearthMetric('devicesApi', DEVICES_API_METRICS.registrations, { label: 'registered', statistic: 'Sum', period: PERIOD }),
  hearthMetric('devicesApi', DEVICES_API_METRICS.decommissions, { label: 'decommissioned', statistic: 'Sum', period: PERIOD }),
];

/** Planning: how long a planning invocation takes, the devices it planned or failed, and events delivered again. */
export const plannerMetrics = () => ({
  durationMs: (['p50', 'p95', 'Maximum'] as const).map((statistic) =>
    hearthMetric('planDevices', PLAN_METRICS.durationMs, { label: `planning ${statistic} (ms)`, statistic, period: PERIOD }),
  ),
  devices: [
    hearthMetric('planDevices', PLAN_METRICS.planned, { label: 'planned', statistic: 'Sum', period: PERIOD }),
    hearthMetric('planDevices', PLAN_METRICS.failed, { label: 'failed', statistic: 'Sum', period: PERIOD }),
    hearthMetric('planDevices', PLAN_METRICS.redelivered, { label: 'events delivered again', statistic: 'Sum', period: PERIOD }),
  ],
});
