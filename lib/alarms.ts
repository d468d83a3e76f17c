import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionKey } from '../wiring/index.ts';
import { staleMetrics } from './data-freshness.ts';
import { offlineDevicesPercent, plansExpiringPercent, silentDevicesPercent } from './device-health.ts';
import type { WiredFunction } from './functions.ts';
import { drShortfallPercent } from './grid-event-metrics.ts';
import { percentOf } from './hearth-metric.ts';

/** Telemetry older than this in the queue means ingest is falling behind the fleet (devices report every minute or so). */
export const TELEMETRY_AGE_ALARM_S = 300;
/** Silent devices, share of the fleet: a fleet-wide outage or a bad firmware, not the odd unplugged heater. */
export const SILENT_DEVICES_ALARM_PERCENT = 5;
/**
 * Offline devices (silent, or disconnected since their last report), share of the fleet. Households unplug and
 * Wi-Fi drops, so a few percent is normal churn; a tenth of the fleet at once is a connectivity problem (IoT
 * endpoint, DNS, expired certificates, firmware). Above the silent threshold because offline counts a
 * disconnect at once, silence only after 30 minutes.
 */
export const OFFLINE_DEVICES_ALARM_PERCENT = 10;
/**
 * Devices whose plan is missing or runs out within 6 h, share of the fleet. Plans are replanned hourly and the
 * held plan renewed with a day left, so such a device has missed a day of replans or pushes; when its plan runs
 * out it falls back to its thermostat: no price optimisation, no DR. One percent (a single device in a fleet
 * under a hundred) is a systematic failure, not one unlucky device; five reconciliations (75 min) give a newly
 * registered device time to get its first plan from the hourly replan.
 */
export const STALE_PLANS_ALARM_PERCENT = 1;
export const STALE_PLANS_EVALUATION_PERIODS = 5;
/**
 * DR target not delivered, in percent. Aggregator programmes judge performance with some tolerance, commonly
 * about a tenth of the committed reduction; two reconciliations (30 min) so one late report or the 15 minutes a
 * device has to take up a new plan does not page anyone.
 */
export const DR_SHORTFALL_ALARM_PERCENT = 10;
/**
 * Failed invocations, share of a function's invocations per 5 minutes, in two of three periods. Every trigger
 * retries (EventBridge, Scheduler, SQS, the utility), and what still fails is dead-lettered and alarmed there,
 * so this looks for a systematic failure: more than one invocation in twenty failing for ten minutes or more.
 */
export const ERROR_RATE_ALARM_PERCENT = 5;

/** Which dashboard shows an alarm beside its graphs. */
export type AlarmConcern = 'fleet' | 'gridEvents' | 'dataPipelines' | 'devicePlane';

/** A function's error-rate alarm sits with the pipe it serves; the device plane's dashboard shows the rest. */
const ERROR_RATE_CONCERN: Partial<Record<FunctionKey, AlarmConcern>> = {
  ingestTelemetry: 'dataPipelines',
  recordPresence: 'dataPipelines',
  fetchPrices: 'dataPipelines',
  fetchWeather: 'dataPipelines',
  drWebhook: 'gridEvents',
};

export interface HearthAlarmsProps {
  readonly alarmEmail?: string;
  readonly functions: readonly WiredFunction[];
  readonly deadLetterQueues: readonly { readonly name: string; readonly queue: IQueue }[];
  readonly telemetryQueue?: IQueue;
  readonly api?: HttpApi;
}

interface AlarmSpec {
  readonly id: string;
  readonly concern: AlarmConcern;
  /** Sent with every notification: what is wrong, and why the threshold is where it is. */
  readonly description: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  /** Decided per alarm: what a period without data means for that metric. */
  readonly treatMissingData: TreatMissingData;
}

/**
 * The conditions that need a person, to the alarm topic (e-mailed when an address is given): anything
 * dead-lettered, ingest falling behind, handlers failing, stale prices, forecasts or plans, devices offline or
 * silent in numbers, demand response not delivered, the webhook failing the utility.
 */
export class HearthAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  readonly byConcern: Record<AlarmConcern, Alarm[]> = { fleet: [], gridEvents: [], dataPipelines: [], devicePlane: [] };
  private readonly action?: SnsAction;

  constructor(scope: Construct, id: string, props: HearthAlarmsProps) {
    super(scope, id);
    if (props.alarmEmail) {
      const topic = new Topic(this, 'Topic', { displayName: 'Hearth alarms', enforceSSL: true });
      topic.addSubscription(new EmailSubscription(props.alarmEmail));
      this.action = new SnsAction(topic);
    }

    // --- Nothing is dropped silently: whatever reaches a dead-letter queue needs a person.
    for (const { name, queue } of props.deadLetterQueues) {
      this.add({
        id: `${name}NotEmpty`,
        concern: 'dataPipelines',
        description: `${name}: messages are waiting to be inspected and redriven`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: 1,
        // SQS stops publishing for a queue idle for six hours, even with messages in it: keep the last state.
        treatMissingData: TreatMissingData.IGNORE,
      });
    }
    if (props.telemetryQueue) {
      this.add({
        id: 'TelemetryBacklog',
        concern: 'dataPipelines',
        description: `Telemetry older than ${TELEMETRY_AGE_ALARM_S} s is waiting, three minutes running: ingest is falling behind the fleet`,
        metric: props.telemetryQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: TELEMETRY_AGE_ALARM_S,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING, // an empty queue has no oldest message
      });
    }

    // --- Handlers failing.
    for (const { key, spec, function: fn } of props.functions) {
      const period = Duration.minutes(5);
      this.add({
        id: `${spec.id}ErrorRate`,
        concern: ERROR_RATE_CONCERN[key] ?? 'devicePlane',
        description: `${spec.id}: ${ERROR_RATE_ALARM_PERCENT} % or more of invocations failed in two of three 5-minute periods (single failures are retried, then dead-lettered)`,
        metric: percentOf(fn.metricErrors({ statistic: 'Sum', period }), fn.metricInvocations({ statistic: 'Sum', period }), `${spec.id} errors (%)`, period),
        threshold: ERROR_RATE_ALARM_PERCENT,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING, // no invocations, no failures
      });
    }
    if (props.api) {
      this.add({
        id: 'DrWebhook5xx',
        concern: 'gridEvents',
        description: 'The DR webhook answered 5xx to a utility: its event may not have been stored (the utility retries, but not forever)',
        metric: props.api.metricServerError({ period: Duration.minutes(5) }),
        threshold: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING, // no requests, no errors
      });
    }

    // --- Stale data. Fetchers and reconciliation report freshness on every run, so a period without a report
    // means the reporter itself stopped: the data are then stale too, and missing data breach.
    const stale = staleMetrics();
    this.add({
      id: 'StalePrices',
      concern: 'dataPipelines',
      description: 'A price zone has no day-ahead prices newer than the staleness limit, or prices were not checked for a day: its devices plan on the fallback forecast',
      metric: stale.priceZones,
      threshold: 1, // one zone is enough: every device there plans on the fallback forecast
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.add({
      id: 'StaleForecasts',
      concern: 'dataPipelines',
      description: 'A weather cell has no forecast newer than the staleness limit, or forecasts were not checked for a day: its devices plan on the fallback forecast',
      metric: stale.forecastCells,
      threshold: 1,
      treatMissingData: TreatMissingData.BREACHING,
    });
    this.add({
      id: 'StalePlans',
      concern: 'fleet',
      description:
        `At least ${STALE_PLANS_ALARM_PERCENT} % of devices have no plan or one that runs out within 6 h, ${STALE_PLANS_EVALUATION_PERIODS} reconciliations running ` +
        '(plans are renewed with a day left): planning or pushing is failing, and those devices will fall back to their thermostat',
      metric: plansExpiringPercent(),
      threshold: STALE_PLANS_ALARM_PERCENT,
      evaluationPeriods: STALE_PLANS_EVALUATION_PERIODS,
      treatMissingData: TreatMissingData.BREACHING,
    });

    // --- The fleet. Reconciliation counts every 15 minutes; when it does not run, its own error-rate and
    // dead-letter alarms say so, and these keep their last state rather than turn OK.
    this.add({
      id: 'SilentDevices',
      concern: 'fleet',
      description: `${SILENT_DEVICES_ALARM_PERCENT} % or more of registered devices sent no telemetry past the silence threshold, two reconciliations running`,
      metric: silentDevicesPercent(),
      threshold: SILENT_DEVICES_ALARM_PERCENT,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.IGNORE,
    });
    this.add({
      id: 'OfflineDevices',
      concern: 'fleet',
      description: `${OFFLINE_DEVICES_ALARM_PERCENT} % or more of registered devices are offline, two reconciliations running: a connectivity problem, not household churn`,
      metric: offlineDevicesPercent(),
      threshold: OFFLINE_DEVICES_ALARM_PERCENT,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.IGNORE,
    });
    this.add({
      id: 'DrShortfall',
      concern: 'gridEvents',
      description: `The fleet fell short of a DR target by ${DR_SHORTFALL_ALARM_PERCENT} % or more, two reconciliations running: outside the tolerance programmes usually allow`,
      metric: drShortfallPercent(),
      threshold: DR_SHORTFALL_ALARM_PERCENT,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING, // reported only while an event runs: no event, no shortfall
    });
  }

  private add(spec: AlarmSpec): void {
    const alarm = new Alarm(this, spec.id, {
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods ?? 1,
      ...(spec.datapointsToAlarm !== undefined ? { datapointsToAlarm: spec.datapointsToAlarm } : {}),
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: spec.treatMissingData,
    });
    if (this.action) {
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
    }
    this.alarms.push(alarm);
    this.byConcern[spec.concern].push(alarm);
  }
}
