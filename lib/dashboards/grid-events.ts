import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, type IAlarm, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DR_SHORTFALL_ALARM_PERCENT } from '../alarms.ts';
import type { WiredFunction } from '../functions.ts';
import { drEventsActive, drPowerMetrics, drShortfallPercent, drWebhookOutcomeMetrics } from '../grid-event-metrics.ts';
import { alarmStrip } from './dashboard-frame.ts';

const PERIOD = Duration.minutes(5);

export interface GridEventsProps {
  readonly dashboardName: string;
  readonly header: IWidget;
  readonly alarms: readonly IAlarm[];
  readonly api?: HttpApi;
  /** The functions serving the webhook. */
  readonly webhookFunctions: readonly WiredFunction[];
}

/** Demand response end to end: what utilities sent and how the webhook answered, the targets, the plans, the delivery. */
export class GridEventsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: GridEventsProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.days(7) });
    this.dashboard.addWidgets(props.header, alarmStrip('Grid event alarms', props.alarms));
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'DR: target vs planned vs delivered (kW)', left: drPowerMetrics(), width: 12, height: 6 }),
      new GraphWidget({
        title: 'DR shortfall (%) and active events',
        left: [drShortfallPercent()],
        leftAnnotations: [{ value: DR_SHORTFALL_ALARM_PERCENT, label: 'alarm' }],
        right: [drEventsActive()],
        width: 12,
        height: 6,
      }),
    );
    const webhook: IWidget[] = [new GraphWidget({ title: 'Webhook: forbidden, invalid, grid events stored', left: drWebhookOutcomeMetrics(), width: 8, height: 6 })];
    if (props.api) {
      webhook.push(
        new GraphWidget({
          title: 'Webhook: requests, 4xx, 5xx',
          left: [
            props.api.metricCount({ period: PERIOD, label: 'requests' }),
            props.api.metricClientError({ period: PERIOD, label: '4xx' }),
            props.api.metricServerError({ period: PERIOD, label: '5xx' }),
          ],
          width: 8,
          height: 6,
        }),
      );
    }
    for (const { spec, function: fn } of props.webhookFunctions) {
      webhook.push(
        new GraphWidget({
          title: `${spec.id}: invocations, errors, duration`,
          left: [fn.metricInvocations({ period: PERIOD, label: 'invocations' }), fn.metricErrors({ period: PERIOD, label: 'errors' })],
          right: [fn.metricDuration({ period: PERIOD, statistic: 'p95', label: 'duration p95 (ms)' })],
          width: 8,
          height: 6,
        }),
      );
    }
    this.dashboard.addWidgets(...webhook);
  }
}
