import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IAlarm, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  alignmentMetrics,
  planFreshnessMetrics,
  plannerMetrics,
  reconcileMetric,
  registryChangeMetrics,
  shadowPushLatencyMetrics,
  shadowPushMetrics,
} from '../device-health.ts';
import type { WiredFunction } from '../functions.ts';
import { presenceOutcomeMetrics } from '../ingest-metrics.ts';
import { alarmStrip } from './dashboard-frame.ts';

const PERIOD = Duration.minutes(5);

export interface DevicePlaneProps {
  readonly dashboardName: string;
  readonly header: IWidget;
  readonly alarms: readonly IAlarm[];
  readonly functions: readonly WiredFunction[];
}

/**
 * From plan to device: how long planning takes, how plans reach the shadows (and what the shadow quota costs),
 * whether devices are there and follow, and every function's invocations, errors, throttles and duration.
 */
export class DevicePlaneDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: DevicePlaneProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(props.header, alarmStrip('Device plane and function alarms', props.alarms));

    const planner = plannerMetrics();
    const freshness = planFreshnessMetrics();
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Planning: duration per invocation (ms)', left: planner.durationMs, width: 8, height: 6 }),
      new GraphWidget({ title: 'Planning: devices planned and failed', left: planner.devices, width: 8, height: 6 }),
      new GraphWidget({ title: 'Plans: missing or expiring within 6 h, oldest (h)', left: [freshness.expiringSoon], right: [freshness.oldestAgeHours], width: 8, height: 6 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Shadow pushes: pushed, suppressed, conflict-retried, failed, throttled (429)', left: shadowPushMetrics(), width: 12, height: 6 }),
      new GraphWidget({ title: 'Shadow push latency per update (ms)', left: shadowPushLatencyMetrics(), width: 12, height: 6 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Devices: online, following, lagging, diverged, offline, silent; replans requested',
        left: alignmentMetrics(),
        right: [reconcileMetric('replanned', 'replans requested', 'Sum')],
        width: 8,
        height: 6,
      }),
      new GraphWidget({ title: 'Presence: lifecycle events, devices online', left: presenceOutcomeMetrics(), right: [reconcileMetric('online', 'online')], width: 8, height: 6 }),
      new GraphWidget({ title: 'Registry: devices registered and decommissioned', left: registryChangeMetrics(), width: 8, height: 6 }),
    );

    this.dashboard.addWidgets(
      ...props.functions.map(
        ({ spec, function: fn }): IWidget =>
          new GraphWidget({
            title: spec.id,
            left: [
              fn.metricInvocations({ period: PERIOD, label: 'invocations' }),
              fn.metricErrors({ period: PERIOD, label: 'errors' }),
              fn.metricThrottles({ period: PERIOD, label: 'throttles' }),
            ],
            right: [fn.metricDuration({ period: PERIOD, statistic: 'p95', label: 'duration p95 (ms)' })],
            width: 8,
            height: 6,
          }),
      ),
    );
  }
}
