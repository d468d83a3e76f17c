import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { HearthAlarms } from './alarms.ts';
import { configureAsyncInvocation } from './async-invocation.ts';
import type { HearthConfig } from './config.ts';
import { HearthDashboard } from './dashboard.ts';
import { DevicePolicy } from './device-policy.ts';
import { DrWebhookApi } from './dr-webhook-api.ts';
import { drWebhookTokenSecret } from './dr-webhook-token.ts';
import { EventRouting } from './event-routing.ts';
import { failedInvocationsQueue } from './failed-invocations-queue.ts';
import { HearthFunctions } from './functions.ts';
import { Schedules } from './schedules.ts';
import { HearthTables } from './tables.ts';
import { TelemetryIngest } from './telemetry-ingest.ts';
import { triggersOf } from './triggers.ts';

export interface HearthStackProps extends StackProps {
  readonly config: HearthConfig;
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
    this.functions = new HearthFunctions(this, 'Functions', { config, tables: this.tables, bus: this.bus, secrets: { drWebhookToken } });
    const wired = this.functions.all;

    const failedInvocations = failedInvocationsQueue(this, 'FailedInvocations');
    configureAsyncInvocation(wired, failedInvocations);
    new EventRouting(this, 'EventRouting', { bus: this.bus, functions: wired, deadLetterQueue: failedInvocations });
    new Schedules(this, 'Schedules', { groupName: prefix, functions: wired, deadLetterQueue: failedInvocations });

    const ingest = wired.filter((f) => triggersOf(f.spec, 'telemetryQueue').length > 0);
    if (ingest.length > 1) throw new Error(`only one function may consume the telemetry queue; found ${ingest.map((f) => f.spec.id).join(', ')}`);
    const telemetry = ingest[0] ? new TelemetryIngest(this, 'Telemetry', ingest[0]) : undefined;

    const serving = wired.filter((f) => triggersOf(f.spec, 'http').length > 0);
    const drWebhook = serving.length > 0 ? new DrWebhookApi(this, 'DrWebhook', { apiName: `${prefix}-dr-webhook`, functions: serving }) : undefined;

    const devicePolicy = new DevicePolicy(this, 'DevicePolicy', { policyName: `${prefix}-device` });

    const deadLetterQueues = [
      { name: 'FailedInvocations', queue: failedInvocations },
      ...(telemetry ? [{ name: 'TelemetryDeadLetters', queue: telemetry.deadLetterQueue }] : []),
    ];
    const observed = { functions: wired, deadLetterQueues, telemetryQueue: telemetry?.queue, api: drWebhook?.api };
    const alarms = new HearthAlarms(this, 'Alarms', { ...observed, alarmEmail: config.alarmEmail });
    new HearthDashboard(this, 'Dashboard', { ...observed, dashboardName: prefix, alarms: alarms.alarms });

    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'DevicePolicyName', { value: devicePolicy.policy.ref, description: 'Attach to every device certificate' });
    new CfnOutput(this, 'DrTokenSecretArn', { value: drWebhookToken.secretArn, description: 'Bearer token(s) to register with the VTN subscription' });
    if (drWebhook) new CfnOutput(this, 'DrWebhookUrl', { value: drWebhook.url, description: 'Base URL for the VTN subscription callbacks' });
  }
}
