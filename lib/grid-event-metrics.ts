import { Duration } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { DR_METRICS, DR_METRIC_EMITTERS } from '../wiring/index.ts';
import { hearthMetric } from './hearth-metric.ts';

/**
 * Demand response as the planner, reconciliation and the webhook report it (wiring/metrics.ts, each metric with
 * its emitter's `service`). Levels take the reconciliation period; webhook counts are summed per 5 minutes.
 */
export const DR_PERIOD = Duration.minutes(15);
const WEBHOOK_PERIOD = Duration.minutes(5);

export const drMetric = (key: keyof typeof DR_METRICS, label: string, statistic = 'Maximum', period = DR_PERIOD) =>
  hearthMetric(DR_METRIC_EMITTERS[key], DR_METRICS[key], { label, statistic, period });

/**
 * kW: what the grid asked for, what the plans answer with, what the fleet delivered. The planner reports target
 * and plan per invocation, and a large event group is planned in parts (one invocation each), so those are
 * summed over the period; a replan of the same group within one period would count it twice.
 */
export const drPowerMetrics = (): IMetric[] => [
  drMetric('targetKW', 'target (kW)', 'Sum'),
  drMetric('plannedKW', 'planned (kW)', 'Sum'),
  drMetric('deliveredKW', 'delivered (kW)'),
];

/** Percent of the target not delivered. */
export const drShortfallPercent = (): IMetric => drMetric('shortfallPercent', 'shortfall (%)');

export const drEventsActive = (): IMetric => drMetric('eventsActive', 'active DR events');

/** What utilities sent: refused for a wrong token, refused as invalid, stored. */
export const drWebhookOutcomeMetrics = (): IMetric[] => [
  drMetric('webhookForbidden', 'forbidden (403)', 'Sum', WEBHOOK_PERIOD),
  drMetric('notificationInvalid', 'invalid (400)', 'Sum', WEBHOOK_PERIOD),
  drMetric('eventStored', 'grid events stored', 'Sum', WEBHOOK_PERIOD),
];
