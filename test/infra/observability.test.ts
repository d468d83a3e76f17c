import { rmSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DR_SHORTFALL_ALARM_PERCENT,
  ERROR_RATE_ALARM_PERCENT,
  OFFLINE_DEVICES_ALARM_PERCENT,
  SILENT_DEVICES_ALARM_PERCENT,
  STALE_PLANS_ALARM_PERCENT,
  STALE_PLANS_EVALUATION_PERIODS,
} from '../../lib/alarms.ts';
import { CONTEXT_KEYS } from '../../lib/config.ts';
import type { HearthStack } from '../../lib/hearth-stack.ts';
import {
  DEVICES_API_METRICS,
  DR_METRICS,
  DR_METRIC_EMITTERS,
  FORECAST_METRICS,
  PLAN_METRICS,
  POWERTOOLS_NAMESPACE,
  PRESENCE_METRICS,
  PRICE_METRICS,
  RECONCILE_METRICS,
  SHADOW_PUSH_METRICS,
  TELEMETRY_METRICS,
  functions,
  type FunctionKey,
} from '../../wiring/index.ts';
import { alarmMetrics, parseDashboardBody, tokenText, type DashboardContent, type MetricRef } from './support/cloudwatch-template.ts';
import { TEST_ENVIRONMENT, hearthApp } from './support/hearth-app.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

const ALARM_EMAIL = 'ops@example.com';
const PREFIX = `hearth-${TEST_ENVIRONMENT}`;
const DASHBOARDS = ['fleet-overview', 'grid-events', 'data-pipelines', 'device-plane'] as const;
type DashboardKey = (typeof DASHBOARDS)[number];

/**
 * Every custom metric of wiring/metrics.ts with the function that emits it (its id is the `service` dimension).
 * A name added to the wiring without a line here fails the completeness test below.
 */
const EMITTED: { name: string; emitter: FunctionKey }[] = [
  ...[...Object.values(TELEMETRY_METRICS.outcomes), TELEMETRY_METRICS.failed].map((name) => ({ name, emitter: 'ingestTelemetry' as const })),
  ...[...Object.values(PRESENCE_METRICS.outcomes), PRESENCE_METRICS.failed].map((name) => ({ name, emitter: 'recordPresence' as const })),
  ...Object.values(PRICE_METRICS).map((name) => ({ name, emitter: 'fetchPrices' as const })),
  ...Object.values(FORECAST_METRICS).map((name) => ({ name, emitter: 'fetchWeather' as const })),
  ...Object.values(PLAN_METRICS).map((name) => ({ name, emitter: 'planDevices' as const })),
  ...(Object.keys(DR_METRICS) as (keyof typeof DR_METRICS)[]).map((key) => ({ name: DR_METRICS[key], emitter: DR_METRIC_EMITTERS[key] })),
  ...Object.values(SHADOW_PUSH_METRICS).map((name) => ({ name, emitter: 'pushShadow' as const })),
  ...Object.values(RECONCILE_METRICS).map((name) => ({ name, emitter: 'reconcileDevices' as const })),
  ...Object.values(DEVICES_API_METRICS).map((name) => ({ name, emitter: 'devicesApi' as const })),
];

let stack: HearthStack;
let outdir: string;
let resources: Record<string, Resource>;
let dashboards: Record<DashboardKey, DashboardContent>;

const logicalId = (construct: IConstruct): string => stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const service = (emitter: FunctionKey) => functions[emitter].id;

/** Whether a dashboard plots the custom metric, as a plain metric or through a SEARCH over its dimensions. */
function plots(content: DashboardContent, name: string, emitter: FunctionKey): boolean {
  return (
    content.metrics.some((m) => m.namespace === POWERTOOLS_NAMESPACE && m.metricName === name && m.dimensions.service === service(emitter)) ||
    content.expressions.some((e) => e.includes(`MetricName="${name}"`) && e.includes(`service="${service(emitter)}"`) && e.includes(`{${POWERTOOLS_NAMESPACE},`))
  );
}
const emitterOf = (name: string): FunctionKey => EMITTED.find((e) => e.name === name)!.emitter;
const plotsAll = (key: DashboardKey, names: readonly string[]) => names.filter((name) => !plots(dashboards[key], name, emitterOf(name)));
const awsMetric = (content: DashboardContent, namespace: string, metricName: string, dimension: [string, string]) =>
  content.metrics.some((m: MetricRef) => m.namespace === namespace && m.metricName === metricName && m.dimensions[dimension[0]] === dimension[1]);

beforeAll(() => {
  ({ stack, outdir } = hearthApp({ context: { [CONTEXT_KEYS.alarmEmail]: ALARM_EMAIL } }));
  resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
  const byName = new Map(ofType('AWS::CloudWatch::Dashboard').map(([, r]) => [r.Properties.DashboardName as string, parseDashboardBody(r.Properties.DashboardBody)]));
  dashboards = Object.fromEntries(DASHBOARDS.map((key) => [key, byName.get(`${PREFIX}-${key}`)!])) as Record<DashboardKey, DashboardContent>;
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('dashboards', () => {
  it('four dashboards, named after the deployment, each linking to the other three', () => {
    expect(ofType('AWS::CloudWatch::Dashboard').map(([, r]) => r.Properties.DashboardName).sort()).toEqual(DASHBOARDS.map((key) => `${PREFIX}-${key}`).sort());
    for (const key of DASHBOARDS) {
      const links = DASHBOARDS.filter((other) => other !== key).map((other) => `#dashboards:name=${PREFIX}-${other}`);
      for (const link of links) expect(dashboards[key].texts.join('\n'), key).toContain(link);
    }
  });

  it('every custom metric of wiring/metrics.ts is on a dashboard, under the service that emits it', () => {
    const everywhere = Object.values(dashboards);
    const missing = EMITTED.filter(({ name, emitter }) => !everywhere.some((content) => plots(content, name, emitter))).map((e) => e.name);
    expect(missing).toEqual([]);
  });

  it('fleet overview: power planned vs measured, cost and revenue, discomfort, devices, DR target vs delivered', () => {
    expect(
      plotsAll('fleet-overview', [
        RECONCILE_METRICS.fleetPlannedNowKW,
        RECONCILE_METRICS.fleetMeasuredKW,
        PLAN_METRICS.fleetPlannedKW,
        PLAN_METRICS.energyCostEur,
        PLAN_METRICS.computeRevenueEur,
        PLAN_METRICS.netCostEur,
        PLAN_METRICS.discomfortKh,
        RECONCILE_METRICS.online,
        RECONCILE_METRICS.following,
        RECONCILE_METRICS.diverged,
        DR_METRICS.targetKW,
        DR_METRICS.deliveredKW,
      ]),
    ).toEqual([]);
  });

  it('grid events: every DR metric, and the webhook API\'s requests, 4xx and 5xx', () => {
    expect(plotsAll('grid-events', Object.values(DR_METRICS))).toEqual([]);
    const api = ofType('AWS::ApiGatewayV2::Api').find(([, r]) => String(r.Properties.Name).endsWith('dr-webhook'))![0];
    for (const metric of ['Count', '4xx', '5xx']) expect(awsMetric(dashboards['grid-events'], 'AWS/ApiGateway', metric, ['ApiId', `Ref:${api}`]), metric).toBe(true);
  });

  it('data pipelines: freshness per source, fetch failures, ingest throughput and quarantine, every dead-letter queue', () => {
    expect(
      plotsAll('data-pipelines', [
        PRICE_METRICS.dataAgeHours,
        PRICE_METRICS.zonesStale,
        PRICE_METRICS.zonesFailed,
        FORECAST_METRICS.dataAgeHours,
        FORECAST_METRICS.cellsStale,
        FORECAST_METRICS.cellsFailed,
        ...Object.values(TELEMETRY_METRICS.outcomes),
        TELEMETRY_METRICS.failed,
        ...Object.values(PRESENCE_METRICS.outcomes),
      ]),
    ).toEqual([]);
    // The price age is searched per source and zone: a zone added to a schedule shows up by itself.
    expect(dashboards['data-pipelines'].expressions.some((e) => e.startsWith(`SEARCH('{${POWERTOOLS_NAMESPACE},service,source,zone}`))).toBe(true);
    const deadLetterQueues = ofType('AWS::SQS::Queue').filter(([, r]) => !r.Properties.RedrivePolicy);
    expect(deadLetterQueues.length).toBeGreaterThanOrEqual(3);
    for (const [id] of deadLetterQueues) {
      expect(awsMetric(dashboards['data-pipelines'], 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', ['QueueName', `GetAtt:${id}.QueueName`]), id).toBe(true);
    }
  });

  it('device plane: shadow pushes (throttled and latency included), presence, alignment, planner duration, every function', () => {
    expect(
      plotsAll('device-plane', [
        ...Object.values(SHADOW_PUSH_METRICS),
        PRESENCE_METRICS.outcomes.applied,
        RECONCILE_METRICS.online,
        RECONCILE_METRICS.lagging,
        RECONCILE_METRICS.diverged,
        RECONCILE_METRICS.offline,
        PLAN_METRICS.durationMs,
      ]),
    ).toEqual([]);
    for (const key of Object.keys(functions) as FunctionKey[]) {
      const fn = `Ref:${logicalId(stack.functions.get(key))}`;
      for (const metric of ['Invocations', 'Errors', 'Throttles', 'Duration']) {
        expect(awsMetric(dashboards['device-plane'], 'AWS/Lambda', metric, ['FunctionName', fn]), `${key} ${metric}`).toBe(true);
      }
    }
  });

  it('the fleet overview shows every alarm', () => {
    const alarmArns = ofType('AWS::CloudWatch::Alarm').map(([id]) => `GetAtt:${id}.Arn`);
    expect([...dashboards['fleet-overview'].alarms].sort()).toEqual(alarmArns.sort());
  });
});

describe('alarms', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([id, r]) => ({ id, props: r.Properties, ...alarmMetrics(r.Properties) }));
  const watching = (name: string, serviceId?: string) =>
    alarms().filter((a) => a.metrics.some((m) => m.metricName === name && (serviceId === undefined || m.dimensions.service === serviceId)));
  const only = <T>(list: T[], what: string): T => {
    expect(list, what).toHaveLength(1);
    return list[0]!;
  };

  it('every alarm notifies the alarm topic on ALARM and on OK, and the topic e-mails the configured address', () => {
    const [topicId] = only(ofType('AWS::SNS::Topic'), 'one topic');
    const subscription = only(ofType('AWS::SNS::Subscription'), 'one subscription')[1].Properties;
    expect(subscription).toMatchObject({ Protocol: 'email', Endpoint: ALARM_EMAIL, TopicArn: { Ref: topicId } });
    for (const { id, props } of alarms()) {
      expect(props.AlarmActions, id).toEqual([{ Ref: topicId }]);
      expect(props.OKActions, id).toEqual([{ Ref: topicId }]);
    }
  });

  it('every alarm says why, and decides what missing data means', () => {
    for (const { id, props } of alarms()) {
      expect(String(props.AlarmDescription).length, id).toBeGreaterThan(40);
      expect(['breaching', 'notBreaching', 'ignore', 'missing'], id).toContain(props.TreatMissingData);
    }
  });

  it('stale prices and stale forecasts: one stale zone or cell in a day; no report at all counts as stale', () => {
    for (const [name, emitter] of [
      [PRICE_METRICS.zonesStale, 'fetchPrices'],
      [FORECAST_METRICS.cellsStale, 'fetchWeather'],
    ] as const) {
      const alarm = only(watching(name, service(emitter)), name);
      expect(alarm.metrics[0]!.namespace).toBe(POWERTOOLS_NAMESPACE);
      expect(alarm.props).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'breaching' });
    }
  });

  it('stale plans: a share of devices without a plan or with one expiring within 6 h, five reconciliations running', () => {
    const alarm = only(watching(RECONCILE_METRICS.plansExpiringSoon, service('reconcileDevices')), 'stale plans');
    expect(alarm.metrics.map((m) => m.metricName).sort()).toEqual([RECONCILE_METRICS.registered, RECONCILE_METRICS.plansExpiringSoon].sort());
    expect(alarm.expressions).toEqual(['IF(whole > 0, 100 * part / whole, 0)']);
    expect(alarm.props).toMatchObject({ Threshold: STALE_PLANS_ALARM_PERCENT, EvaluationPeriods: STALE_PLANS_EVALUATION_PERIODS, TreatMissingData: 'breaching' });
  });

  it('DR shortfall: on DrShortfallPercent from reconciliation, two periods; no event, no shortfall', () => {
    const alarm = only(watching(DR_METRICS.shortfallPercent, service(DR_METRIC_EMITTERS.shortfallPercent)), 'DR shortfall');
    expect(DR_METRIC_EMITTERS.shortfallPercent).toBe('reconcileDevices');
    expect(alarm.props).toMatchObject({ Threshold: DR_SHORTFALL_ALARM_PERCENT, EvaluationPeriods: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
  });

  it('dead-letter queues: one alarm per queue on a single visible message, keeping its state when SQS goes quiet', () => {
    const deadLetterQueues = ofType('AWS::SQS::Queue').filter(([, r]) => !r.Properties.RedrivePolicy);
    for (const [queueId] of deadLetterQueues) {
      const alarm = only(
        alarms().filter((a) => a.metrics.some((m) => m.metricName === 'ApproximateNumberOfMessagesVisible' && m.dimensions.QueueName === tokenText({ 'Fn::GetAtt': [queueId, 'QueueName'] }))),
        queueId,
      );
      expect(alarm.props).toMatchObject({ Threshold: 1, Statistic: 'Maximum', TreatMissingData: 'ignore' });
    }
  });

  it('error rates: one alarm per function on errors / invocations, two of three 5-minute periods', () => {
    for (const key of Object.keys(functions) as FunctionKey[]) {
      const fn = `Ref:${logicalId(stack.functions.get(key))}`;
      const alarm = only(
        alarms().filter((a) => a.metrics.some((m) => m.namespace === 'AWS/Lambda' && m.metricName === 'Errors' && m.dimensions.FunctionName === fn)),
        `${key} error rate`,
      );
      expect(alarm.metrics.map((m) => `${m.metricName} ${m.dimensions.FunctionName}`).sort()).toEqual([`Errors ${fn}`, `Invocations ${fn}`]);
      expect(alarm.expressions).toEqual(['IF(whole > 0, 100 * part / whole, 0)']);
      expect(alarm.props).toMatchObject({ Threshold: ERROR_RATE_ALARM_PERCENT, EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' });
    }
  });

  it('offline and silent shares of the fleet, from the reconciliation counts, two periods', () => {
    for (const [name, threshold] of [
      [RECONCILE_METRICS.offline, OFFLINE_DEVICES_ALARM_PERCENT],
      [RECONCILE_METRICS.silent, SILENT_DEVICES_ALARM_PERCENT],
    ] as const) {
      const alarm = only(watching(name, service('reconcileDevices')), name);
      expect(alarm.metrics.map((m) => m.metricName).sort()).toEqual([RECONCILE_METRICS.registered, name].sort());
      expect(alarm.props).toMatchObject({ Threshold: threshold, EvaluationPeriods: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'ignore' });
    }
  });

  it('telemetry backlog and DR webhook 5xx', () => {
    expect(only(watching('ApproximateAgeOfOldestMessage'), 'backlog').props).toMatchObject({ Threshold: 300, EvaluationPeriods: 3 });
    expect(only(watching('5xx'), 'webhook 5xx').props).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
  });
});
