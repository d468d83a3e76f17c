import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { HearthAlarms } from './alarms.ts';
import { configureAsyncInvocation } from './async-invocation.ts';
import type { HearthConfig } from './config.ts';
import { HearthDashboards } from './dashboards/hearth-dashboards.ts';
import { DevicePolicy } from './device-policy.ts';
import { DrWebhookApi } from './dr-webhook-api.ts';
import { drWebhookTokenSecret } from './dr-webhook-token.ts';
import { EventRouting } from './event-routing.ts';
import { failedInvocationsQueue } from './failed-invocations-queue.ts';
import { HearthFunctions, type WiredFunction } from './functions.ts';
import { OperatorApi } from './operator-api.ts';
import { presenceEvents } from './presence.ts';
import { Schedules } from './schedules.ts';
import { HearthTables } from './tables.ts';
import { telemetryIngest } from './telemetry-ingest.ts';
import { triggersOf, type TriggerOf } from './triggers.ts';
import { OPENADR_CALLBACK_PATH, VTN_CALLBACK_URL_ENV } from '../wiring/functions.ts';

export interface HearthStackProps extends StackProps {
  readonly config: HearthConfig;
}

/** The one function consuming a rule queue of this kind, if any; two would split the queue's messages. */
function consumerOf(wired: readonly WiredFunction[], kind: TriggerOf<'telemetryQueue' | 'presenceQueue'>['kind']): WiredFunction | undefined {
  const consumers = wired.filter((f) => triggersOf(f.spec, kind).length > 0);
  if (consumers.length > 1) throw new Error(`only one function may consume the ${kind}; found ${consumers.map((f) => f.spec.id).join(', ')}`);
  return consumers[0];
}

/** One Hearth deployment. Everything below is derived from `wiring/`; this file only connects the parts. */
export class HearthStack extends Stack {
  readonly tables: HearthTables;
  readonly bus: EventBus;
  readonly functions: HearthFunctions;

  constructor(scope: Construct, id: string, props: HearthStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = `hearth-${config.environment}`;
    Tags.of(this).add('hearth:environment', config.environment);

    this.tables = new HearthTables(this, 'Tables');
    this.bus = new EventBus(this, 'Bus', { eventBusName: prefix });
    const drWebhookToken = drWebhookTokenSecret(this, 'DrWebhookToken');
    const devicePolicy = new DevicePolicy(this, 'DevicePolicy', { policyName: `${prefix}-device` });
    this.functions = new HearthFunctions(this, 'Functions', {
      config,
      devicePolicyName: devicePolicy.policyName,
      tables: this.tables,
      bus: this.bus,
      secrets: { drWebhookToken },
    });
    const wired = this.functions.all;

    const failedInvocations = failedInvocationsQueue(this, 'FailedInvocations');
    configureAsyncInvocation(wired, failedInvocations);
    new EventRouting(this, 'EventRouting', { bus: this.bus, functions: wired, deadLetterQueue: failedInvocations });
    new Schedules(this, 'Schedules', { groupName: prefix, functions: wired, deadLetterQueue: failedInvocations });

    const ingest = consumerOf(wired, 'telemetryQueue');
    const telemetry = ingest ? telemetryIngest(this, 'Telemetry', ingest) : undefined;
    const presenceConsumer = consumerOf(wired, 'presenceQueue');
    const presence = presenceConsumer ? presenceEvents(this, 'Presence', presenceConsumer) : undefined;

    const serving = wired.filter((f) => triggersOf(f.spec, 'http').length > 0);
    const drWebhook = serving.length > 0 ? new DrWebhookApi(this, 'DrWebhook', { apiName: `${prefix}-dr-webhook`, functions: serving }) : undefined;
    // A VEN (a function holding the VTN client credentials) registers this webhook as its subscription callback,
    // unless the VTN secret names another one.
    if (drWebhook) {
      const callbackUrl = `${drWebhook.url.replace(/\/$/, '')}${OPENADR_CALLBACK_PATH}`;
      for (const f of wired.filter((w) => w.spec.secrets?.includes('vtnClientCredentials'))) f.function.addEnvironment(VTN_CALLBACK_URL_ENV, callbackUrl);
    }
    const operating = wired.filter((f) => triggersOf(f.spec, 'operatorApi').length > 0);
    const operatorApi = operating.length > 0 ? new OperatorApi(this, 'OperatorApi', { apiName: `${prefix}-operator`, functions: operating }) : undefined;

    const deadLetterQueues = [
      { name: 'FailedInvocations', queue: failedInvocations },
      ...(telemetry ? [{ name: 'TelemetryDeadLetters', queue: telemetry.deadLetterQueue }] : []),
      ...(presence ? [{ name: 'PresenceDeadLetters', queue: presence.deadLetterQueue }] : []),
    ];
    const observed = { functions: wired, deadLetterQueues, telemetryQueue: telemetry?.queue, api: drWebhook?.api };
    const alarms = new HearthAlarms(this, 'Alarms', { ...observed, alarmEmail: config.alarmEmail });
    new HearthDashboards(this, 'Dashboards', { ...observed, namePrefix: prefix, alarms });

    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'DevicePolicyName', { value: devicePolicy.policy.ref, description: 'Attached to every device certificate the devices API registers' });
    new CfnOutput(this, 'DrTokenSecretArn', { value: drWebhookToken.secretArn, description: 'Bearer token(s) to register with the VTN subscription' });
    if (drWebhook) new CfnOutput(this, 'DrWebhookUrl', { value: drWebhook.url, description: 'Base URL for the VTN subscription callbacks' });
    if (operatorApi) new CfnOutput(this, 'OperatorApiUrl', { value: operatorApi.url, description: 'IAM-authorized operator API: POST/GET/DELETE /devices' });
  }
}
