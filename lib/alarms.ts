import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SILENT_DEVICES_ALARM_PERCENT } from '../wiring/metrics.ts';
import { staleMetrics } from './data-freshness.ts';
import type { WiredFunction } from './functions.ts';

/** Telemetry older than this in the queue means ingest is falling behind the fleet. */
export const TELEMETRY_AGE_ALARM_S = 300;

export interface HearthAlarmsProps {
  readonly alarmEmail?: string;
  readonly functions: readonly WiredFunction[];
  readonly deadLetterQueues: readonly { readonly name: string; readonly queue: IQueue }[];
  readonly telemetryQueue?: IQueue;
  readonly api?: HttpApi;
  /** Share of registered devices silent past the threshold, in percent (lib/device-health.ts). */
  readonly silentDevicesPercent?: IMetric;
}

/**
 * The conditions that need a person: anything dead-lettered (nothing is dropped silently, so someone must look),
 * ingest falling behind, a handler failing, the webhook failing the utility. E-mailed when an address is given.
 */
export class HearthAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action?: SnsAction;

  constructor(scope: Construct, id: string, props: HearthAlarmsProps) {
    super(scope, id);
    if (props.alarmEmail) {
      const topic = new Topic(this, 'Topic', { displayName: 'Hearth alarms', enforceSSL: true });
      topic.addSubscription(new EmailSubscription(props.alarmEmail));
      this.action = new SnsAction(topic);
    }

    for (const { name, queue } of props.deadLetterQueues) {
      this.add(`${name}NotEmpty`, `${name}: messages are waiting to be inspected and redriven`, queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }), 1);
    }
    if (props.telemetryQueue) {
      this.add(
        'TelemetryBacklog',
        `Telemetry older than ${TELEMETRY_AGE_ALARM_S} s is waiting: ingest is falling behind`,
        props.telemetryQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1) }),
        TELEMETRY_AGE_ALARM_S,
        3,
      );
    }
    for (const { spec, function: fn } of props.functions) {
      this.add(`${spec.id}Errors`, `${spec.id} threw`, fn.metricErrors({ period: Duration.minutes(5) }), 1);
    }
    if (props.silentDevicesPercent) {
      this.add(
        'SilentDevices',
        `More than ${SILENT_DEVICES_ALARM_PERCENT} % of registered devices sent no telemetry past the silence threshold, two reconciliations running`,
        props.silentDevicesPercent,
        SILENT_DEVICES_ALARM_PERCENT,
        2,
      );
    }
    // One stale zone or cell is enough: every device there is planned on the fallback forecast.
    const stale = staleMetrics();
    this.add('StalePrices', 'A price zone has no day-ahead prices newer than the staleness limit: its devices plan on the fallback forecast', stale.priceZones, 1);
    this.add('StaleForecasts', 'A weather cell has no forecast newer than the staleness limit: its devices plan on the fallback forecast', stale.forecastCells, 1);
    if (props.api) {
      this.add('DrWebhook5xx', 'The DR webhook answered 5xx to a utility', props.api.metricServerError({ period: Duration.minutes(5) }), 1);
    }
  }

  private add(id: string, description: string, metric: IMetric, threshold: number, evaluationPeriods = 1): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data = no messages, no invocations: nothing wrong.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (this.action) {
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
    }
    this.alarms.push(alarm);
  }
}
