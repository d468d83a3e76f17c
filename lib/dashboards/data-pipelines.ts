import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IAlarm, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FORECAST_STALE_AFTER_HOURS, PRICE_STALE_AFTER_HOURS } from '../../functions/domain/market/data-age.ts';
import { fetchOutcomeMetrics, forecastAgeBySource, priceAgeBySourceAndZone, priceHorizonBySourceAndZone, staleMetrics } from '../data-freshness.ts';
import { presenceOutcomeMetrics, telemetryOutcomeMetrics } from '../ingest-metrics.ts';
import { alarmStrip } from './dashboard-frame.ts';

const PERIOD = Duration.minutes(5);

export interface DataPipelinesProps {
  readonly dashboardName: string;
  readonly header: IWidget;
  readonly alarms: readonly IAlarm[];
  readonly telemetryQueue?: IQueue;
  readonly deadLetterQueues: readonly { readonly name: string; readonly queue: IQueue }[];
}

/**
 * What flows in: day-ahead prices and forecasts (fresh enough? fetched?), telemetry and presence (how much,
 * refused, behind?), and whatever ended in a dead-letter queue.
 */
export class DataPipelinesDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: DataPipelinesProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName, defaultInterval: Duration.days(3) });
    this.dashboard.addWidgets(props.header, alarmStrip('Data pipeline alarms', props.alarms));

    const stale = staleMetrics();
    const fetched = fetchOutcomeMetrics();
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Prices: age of the newest day-ahead prices per source and zone (h)',
        left: [priceAgeBySourceAndZone()],
        leftAnnotations: [{ value: PRICE_STALE_AFTER_HOURS, label: 'stale' }],
        width: 8,
        height: 6,
      }),
      new GraphWidget({ title: 'Prices: horizon ahead per source and zone (h)', left: [priceHorizonBySourceAndZone()], width: 8, height: 6 }),
      new GraphWidget({ title: 'Prices: zones stale, zones failed, days changed', left: [stale.priceZones], right: fetched.prices, width: 8, height: 6 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Forecasts: age of the oldest cell per source (h)',
        left: [forecastAgeBySource()],
        leftAnnotations: [{ value: FORECAST_STALE_AFTER_HOURS, label: 'stale' }],
        width: 12,
        height: 6,
      }),
      new GraphWidget({ title: 'Forecasts: cells stale, cells failed, cells changed', left: [stale.forecastCells], right: fetched.forecasts, width: 12, height: 6 }),
    );

    const telemetry = telemetryOutcomeMetrics();
    const pipes: IWidget[] = [
      new GraphWidget({ title: 'Telemetry: records handled', left: telemetry.handled, stacked: true, width: 8, height: 6 }),
      new GraphWidget({ title: 'Telemetry: quarantined, unknown devices, failed', left: telemetry.refused, width: 8, height: 6 }),
    ];
    if (props.telemetryQueue) {
      pipes.push(
        new GraphWidget({
          title: 'Telemetry queue: waiting, age of oldest (s)',
          left: [props.telemetryQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: PERIOD, label: 'waiting' })],
          right: [props.telemetryQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: PERIOD, label: 'oldest (s)' })],
          width: 8,
          height: 6,
        }),
      );
    }
    this.dashboard.addWidgets(...pipes);
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Presence: lifecycle events by outcome', left: presenceOutcomeMetrics(), width: 12, height: 6 }),
      new GraphWidget({
        title: 'Dead-letter queues: messages waiting',
        left: props.deadLetterQueues.map(({ name, queue }) => queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: PERIOD, label: name })),
        width: 12,
        height: 6,
      }),
    );
  }
}
