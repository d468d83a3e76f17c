import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AlarmStatusWidget, Dashboard, GraphWidget, TextWidget, type IAlarm, type IMetric, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WiredFunction } from './functions.ts';

const PERIOD = Duration.minutes(5);
const WIDTH = 8;

export interface HearthDashboardProps {
  readonly dashboardName: string;
  readonly functions: readonly WiredFunction[];
  readonly telemetryQueue?: IQueue;
  readonly deadLetterQueues: readonly { readonly name: string; readonly queue: IQueue }[];
  readonly api?: HttpApi;
  readonly alarms: readonly IAlarm[];
  /** Fleet health graphs (lib/device-health.ts): devices by alignment, shadow pushes by outcome. */
  readonly fleet?: readonly { readonly title: string; readonly metrics: readonly IMetric[] }[];
}

/** A first operator view: alarms, each function's invocations/errors/duration, the telemetry pipe and the webhook. */
export class HearthDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: HearthDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.hours(24) });

    this.dashboard.addWidgets(
      new TextWidget({ markdown: `# Hearth — ${props.dashboardName}`, width: 24, height: 1 }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 }),
    );

    const pipes: IWidget[] = [];
    if (props.telemetryQueue) {
      pipes.push(
        new GraphWidget({
          title: 'Telemetry queue: age of oldest message (s)',
          left: [props.telemetryQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: PERIOD })],
          width: WIDTH,
        }),
      );
    }
    pipes.push(
      new GraphWidget({
        title: 'Dead-letter queues: messages waiting',
        left: props.deadLetterQueues.map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: PERIOD, label: name }),
        ),
        width: WIDTH,
      }),
    );
    if (props.api) {
      pipes.push(
        new GraphWidget({
          title: 'DR webhook: requests, 4xx, 5xx',
          left: [
            props.api.metricCount({ period: PERIOD, label: 'requests' }),
            props.api.metricClientError({ period: PERIOD, label: '4xx' }),
            props.api.metricServerError({ period: PERIOD, label: '5xx' }),
          ],
          width: WIDTH,
        }),
      );
    }
    this.dashboard.addWidgets(...pipes);
    if (props.fleet?.length) {
      this.dashboard.addWidgets(...props.fleet.map(({ title, metrics }) => new GraphWidget({ title, left: [...metrics], width: WIDTH })));
    }

    this.dashboard.addWidgets(
      ...props.functions.map(
        ({ spec, function: fn }) =>
          new GraphWidget({
            title: spec.id,
            left: [fn.metricInvocations({ period: PERIOD, label: 'invocations' }), fn.metricErrors({ period: PERIOD, label: 'errors' })],
            right: [fn.metricDuration({ period: PERIOD, statistic: 'p95', label: 'duration p95 (ms)' })],
            width: WIDTH,
          }),
      ),
    );
  }
}
