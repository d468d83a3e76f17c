import { Duration } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { PLAN_METRICS } from '../wiring/index.ts';
import { hearthMetric } from './hearth-metric.ts';
import { reconcileMetric } from './device-health.ts';

/**
 * The fleet as a whole (wiring/metrics.ts): power planned against power measured, and what the plans cost, earn
 * and leave uncomfortable. The planner reports them for the hourly replan only, per invocation over the devices
 * it planned (a cohort of the fleet); the hourly replan plans every device once, so the sum over the hour is the
 * whole fleet's figure.
 */
const PLANNING_PERIOD = Duration.hours(1);

const planned = (key: keyof typeof PLAN_METRICS, label: string) => hearthMetric('planDevices', PLAN_METRICS[key], { label, statistic: 'Sum', period: PLANNING_PERIOD });

/** kW: what the plans of the fleet draw now (reconciliation, and the planner when it planned), against what devices report. */
export const fleetPowerMetrics = (): IMetric[] => [
  reconcileMetric('fleetPlannedNowKW', 'planned now (kW)', 'Average'),
  reconcileMetric('fleetMeasuredKW', 'measured (kW)', 'Average'),
  planned('fleetPlannedKW', 'planned at the hourly replan (kW)'),
];

/** EUR over the plans' horizon: energy cost, compute revenue, and the net cost the planner minimises. */
export const fleetMoneyMetrics = (): IMetric[] => [
  planned('energyCostEur', 'energy cost (EUR)'),
  planned('computeRevenueEur', 'compute revenue (EUR)'),
  planned('netCostEur', 'net cost (EUR)'),
];

/** K·h outside the comfort bands that the plans accept. */
export const fleetDiscomfortMetric = (): IMetric => planned('discomfortKh', 'discomfort (K·h)');
