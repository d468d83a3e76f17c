import { rmSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, DEFAULT_CONFIG } from '../../lib/config.ts';
import { DR_WEBHOOK_THROTTLE } from '../../lib/dr-webhook-api.ts';
import { OPERATOR_API_THROTTLE } from '../../lib/operator-api.ts';
import { SHADOW_UPDATE_QUOTA_ENV } from '../../lib/functions.ts';
import type { HearthStack } from '../../lib/hearth-stack.ts';
import { IOT_DATA_ENDPOINT_ENV } from '../../lib/iot-data-endpoint.ts';
import { PRESENCE_RULE_SQL } from '../../lib/presence.ts';
import { MAX_RECEIVE_COUNT, TELEMETRY_RULE_SQL } from '../../lib/telemetry-ingest.ts';
import { triggersOf } from '../../lib/triggers.ts';
import { HANDLED_EVENT_RETENTION_S } from '../../functions/commons/once-per-event.ts';
import { EVENT_SOURCE } from '../../schemas/events.ts';
import {
  DEVICE_POLICY_ENV,
  DR_PROGRAMS_ENV,
  DR_TOKEN_SECRET_ENV,
  VTN_SECRET_ENV,
  VTN_CALLBACK_URL_ENV,
  OPENADR_CALLBACK_PATH,
  PRESENCE_RULE_NAME,
  EVENT_BUS_ENV,
  POWERTOOLS_NAMESPACE,
  TELEMETRY_RULE_NAME,
  functions,
  tables,
  telemetryTopic,
  type FunctionKey,
  type FunctionSpec,
  type TableAccess,
  type TableKey,
  type TableSpec,
} from '../../wiring/index.ts';
import { TEST_ENVIRONMENT, hearthApp } from './support/hearth-app.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

const functionEntries = Object.entries(functions) as [FunctionKey, FunctionSpec][];
const tableEntries = Object.entries(tables) as [TableKey, TableSpec][];
const ALARM_EMAIL = 'ops@example.com';
const SHADOW_QUOTA = 1234;

let stack: HearthStack;
let outdir: string;
let template: Template;
let resources: Record<string, Resource>;

const logicalId = (construct: IConstruct): string => stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
const functionId = (key: FunctionKey): string => logicalId(stack.functions.get(key));
const tableId = (key: TableKey): string => logicalId(stack.tables.table(key));
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
const ofType = (type: string): Resource[] => Object.values(resources).filter((r) => r.Type === type);
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement attached to the role of one function, through any of its policies. */
function roleStatements(key: FunctionKey): Statement[] {
  const roleRef = { Ref: logicalId(stack.functions.get(key).role!) };
  return ofType('AWS::IAM::Policy')
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([roleRef]))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOn = (statements: Statement[], resource: unknown): string[] =>
  statements
    .filter((s) => asArray(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(resource)))
    .flatMap((s) => asArray(s.Action))
    .sort();

beforeAll(() => {
  ({ stack, outdir } = hearthApp({ context: { [CONTEXT_KEYS.alarmEmail]: ALARM_EMAIL, [CONTEXT_KEYS.shadowUpdateQuota]: String(SHADOW_QUOTA) } }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('tables (wiring/tables.ts)', () => {
  it('creates exactly the tables of the wiring', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', tableEntries.length);
  });

  it.each(tableEntries)('%s: keys, on-demand, PITR, SSE, TTL, GSIs, retained', (key, spec) => {
    const table = resources[tableId(key)]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const keySchema = (partition: { name: string }, sort?: { name: string }) => [
      { AttributeName: partition.name, KeyType: 'HASH' },
      ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' }] : []),
    ];
    expect(table.Properties).toMatchObject({
      KeySchema: keySchema(spec.partitionKey, spec.sortKey),
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(table.Properties.TimeToLiveSpecification).toEqual(spec.ttlAttribute ? { AttributeName: spec.ttlAttribute, Enabled: true } : undefined);
    const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: unknown }[];
    expect(indexes.map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema }))).toEqual(
      (spec.globalIndexes ?? []).map((index) => ({ IndexName: index.indexName, KeySchema: keySchema(index.partitionKey, index.sortKey) })),
    );
  });
});

describe('event bus and rules (events triggers)', () => {
  const eventTriggers = functionEntries.flatMap(([key, spec]) => triggersOf(spec, 'events').map((trigger) => ({ key, trigger })));

  it('has one bus, named after the environment', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: `hearth-${TEST_ENVIRONMENT}` });
  });

  it('has one rule per (function, events trigger)', () => {
    template.resourceCountIs('AWS::Events::Rule', eventTriggers.length);
  });

  it.each(eventTriggers.map(({ key, trigger }) => [key, trigger] as const))('%s: rule on its detail types, with retries and a DLQ', (key, trigger) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalId(stack.bus) },
      EventPattern: { source: [EVENT_SOURCE], 'detail-type': [...trigger.detailTypes] },
      Targets: [
        Match.objectLike({
          Arn: getAtt(functionId(key)),
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });
});

describe('schedules (schedules triggers)', () => {
  const schedules = functionEntries.flatMap(([key, spec]) =>
    triggersOf(spec, 'schedules').flatMap((trigger) => trigger.schedules.map((schedule) => ({ key, schedule }))),
  );

  it('has one schedule per entry', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', schedules.length);
  });

  it.each(schedules.map(({ key, schedule }) => [schedule.name, key, schedule] as const))(
    '%s → %s: expression, timezone, input, no flexible window, retries and DLQ',
    (name, key, schedule) => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: name,
        GroupName: `hearth-${TEST_ENVIRONMENT}`,
        ScheduleExpression: schedule.expression,
        ScheduleExpressionTimezone: schedule.timezone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({
          Arn: getAtt(functionId(key)),
          Input: JSON.stringify(schedule.input),
          RetryPolicy: { MaximumRetryAttempts: Match.anyValue(), MaximumEventAgeInSeconds: Match.anyValue() },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      });
    },
  );

  it('the scheduler role may invoke exactly the scheduled functions, unqualified', () => {
    const scheduled = new Set(schedules.map(({ key }) => key));
    const invoke = ofType('AWS::IAM::Policy')
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap((s) => asArray(s.Resource))).toEqual(expect.arrayContaining([...scheduled].map((key) => getAtt(functionId(key)))));
    expect(invoke.flatMap((s) => asArray(s.Resource))).toHaveLength(scheduled.size);
  });
});

const RULE_QUEUES = [
  { kind: 'telemetryQueue', ruleName: TELEMETRY_RULE_NAME, sql: TELEMETRY_RULE_SQL },
  { kind: 'presenceQueue', ruleName: PRESENCE_RULE_NAME, sql: PRESENCE_RULE_SQL },
] as const;

describe.each(RULE_QUEUES)('IoT rule → SQS → function ($kind trigger)', ({ kind, ruleName, sql }) => {
  const [consumerKey, consumerSpec] = functionEntries.find(([, spec]) => triggersOf(spec, kind).length > 0)!;
  const trigger = triggersOf(consumerSpec, kind)[0]!;
  const ruleOf = () => ofType('AWS::IoT::TopicRule').find((r) => r.Properties.RuleName === ruleName)!;
  const queueIdOf = () => (ruleOf().Properties.TopicRulePayload as { Actions: { Sqs: { QueueUrl: { Ref: string } } }[] }).Actions[0]!.Sqs.QueueUrl.Ref;

  it('topic rule: SQL, SQS action, error action', () => {
    template.hasResourceProperties('AWS::IoT::TopicRule', {
      RuleName: ruleName,
      TopicRulePayload: Match.objectLike({
        Sql: sql,
        AwsIotSqlVersion: '2016-03-23',
        Actions: [{ Sqs: Match.objectLike({ QueueUrl: { Ref: Match.anyValue() }, RoleArn: Match.anyValue() }) }],
        ErrorAction: { CloudwatchLogs: Match.objectLike({ LogGroupName: Match.anyValue() }) },
      }),
    });
  });

  it("the rule's SQS role may only SendMessage to the queue", () => {
    const action = (ruleOf().Properties.TopicRulePayload as { Actions: { Sqs: { RoleArn: { 'Fn::GetAtt': [string] }; QueueUrl: { Ref: string } } }[] }).Actions[0]!.Sqs;
    const roleId = action.RoleArn['Fn::GetAtt'][0];
    const statements = ofType('AWS::IAM::Policy')
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(statements).toEqual([expect.objectContaining({ Action: 'sqs:SendMessage', Resource: getAtt(action.QueueUrl.Ref) })]);
  });

  it('queue: SSE, DLQ after 5 receives, visibility ≥ 6 × function timeout', () => {
    const queue = resources[queueIdOf()]!;
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: MAX_RECEIVE_COUNT } });
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumerSpec.timeoutS);
  });

  it('event source mapping: batch size and window from the wiring, partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(consumerKey) },
      EventSourceArn: getAtt(queueIdOf()),
      BatchSize: trigger.batchSize,
      MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowS,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('IoT rules and queues', () => {
  it('telemetry: the device topic minus the Basic Ingest prefix is what the SQL reads', () => {
    expect(TELEMETRY_RULE_SQL).toBe("SELECT *, topic(2) AS topicDeviceId FROM 'devices/+/telemetry'");
    expect(telemetryTopic('heater-1').replace(`$aws/rules/${TELEMETRY_RULE_NAME}/`, '')).toBe('devices/heater-1/telemetry');
  });

  it('presence: the rule reads the lifecycle-event topics', () => {
    expect(PRESENCE_RULE_SQL).toBe("SELECT * FROM '$aws/events/presence/+/+'");
  });

  it('one event source mapping per rule queue, and exactly the rules of the wiring', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', RULE_QUEUES.length);
    template.resourceCountIs('AWS::IoT::TopicRule', RULE_QUEUES.length);
  });

  it('every queue is encrypted and refuses plain HTTP', () => {
    for (const queue of ofType('AWS::SQS::Queue')) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const denyInsecure = ofType('AWS::SQS::QueuePolicy').filter((p) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      ),
    );
    expect(denyInsecure).toHaveLength(ofType('AWS::SQS::Queue').length);
  });
});

describe('DR webhook (http triggers) and operator API (operatorApi triggers)', () => {
  const routes = functionEntries.flatMap(([key, spec]) => triggersOf(spec, 'http').flatMap((t) => t.routes.map((route) => ({ key, route }))));
  const operatorRoutes = functionEntries.flatMap(([key, spec]) => triggersOf(spec, 'operatorApi').flatMap((t) => t.routes.map((route) => ({ key, route }))));
  const routeResources = () => ofType('AWS::ApiGatewayV2::Route');
  const routeKeyOf = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

  it('two HTTP APIs with exactly the wiring routes', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length + operatorRoutes.length);
    for (const { route } of [...routes, ...operatorRoutes]) template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKeyOf(route) });
  });

  it('operator routes require IAM-signed requests; webhook routes authenticate in the function', () => {
    const byKey = new Map(routeResources().map((r) => [r.Properties.RouteKey as string, r.Properties]));
    for (const { route } of operatorRoutes) expect(byKey.get(routeKeyOf(route))?.AuthorizationType).toBe('AWS_IAM');
    for (const { route } of routes) expect(byKey.get(routeKeyOf(route))?.AuthorizationType ?? 'NONE').toBe('NONE');
  });

  it('routes reach their function through a Lambda proxy integration', () => {
    for (const key of new Set(routes.map(({ key }) => key))) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', IntegrationUri: getAtt(functionId(key)) });
    }
  });

  it('operator stage: access logs and throttling', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: OPERATOR_API_THROTTLE.rateLimit, ThrottlingBurstLimit: OPERATOR_API_THROTTLE.burstLimit },
    });
  });

  it('stage: access logs and throttling', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: DR_WEBHOOK_THROTTLE.rateLimit, ThrottlingBurstLimit: DR_WEBHOOK_THROTTLE.burstLimit },
    });
  });
});

describe('functions (wiring/functions.ts)', () => {
  it('one Lambda per wiring entry (plus the endpoint-lookup provider)', () => {
    const hearthFunctions = ofType('AWS::Lambda::Function').filter((f) => JSON.stringify(f.Properties.Environment ?? '').includes('POWERTOOLS_SERVICE_NAME'));
    expect(hearthFunctions).toHaveLength(functionEntries.length);
  });

  it.each(functionEntries)('%s: Node.js 24 on arm64, memory, timeout, ESM handler', (key, spec) => {
    expect(resources[functionId(key)]!.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutS,
      LoggingConfig: { LogGroup: { Ref: logicalId(stack.functions.get(key).logGroup) } },
    });
  });

  it.each(functionEntries)('%s: environment derived from its wiring entry', (key, spec) => {
    const variables = (resources[functionId(key)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const expected: Record<string, unknown> = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: spec.id,
      POWERTOOLS_METRICS_NAMESPACE: POWERTOOLS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...Object.fromEntries(Object.keys(spec.tables).map((table) => [tables[table as TableKey].envVar, { Ref: tableId(table as TableKey) }])),
      ...(spec.publishesEvents ? { [EVENT_BUS_ENV]: { Ref: logicalId(stack.bus) } } : {}),
      ...(spec.secrets?.includes('drWebhookToken') ? { [DR_TOKEN_SECRET_ENV]: { Ref: Match.anyValue() } } : {}),
      ...(spec.secrets?.includes('vtnClientCredentials') ? { [VTN_SECRET_ENV]: Match.anyValue(), [VTN_CALLBACK_URL_ENV]: Match.anyValue() } : {}),
      // Each concurrent push gets its share of the quota: concurrency × rate stays within it.
      ...(spec.writesShadows ? { [IOT_DATA_ENDPOINT_ENV]: Match.anyValue(), [SHADOW_UPDATE_QUOTA_ENV]: String(Math.floor(SHADOW_QUOTA / DEFAULT_CONFIG.shadowPushConcurrency)) } : {}),
      ...(spec.managesThings ? { [DEVICE_POLICY_ENV]: `hearth-${TEST_ENVIRONMENT}-device` } : {}),
      ...(spec.readsDrPrograms ? { [DR_PROGRAMS_ENV]: '[]' } : {}),
      ...spec.environment,
    };
    expect(Object.keys(variables).sort()).toEqual(Object.keys(expected).sort());
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: expected } });
  });

  it.each(functionEntries)('%s: reserved concurrency as the wiring and config say', (key, spec) => {
    const reserved = resources[functionId(key)]!.Properties.ReservedConcurrentExecutions;
    const expected = spec.reservedConcurrency === 'shadowPush' ? DEFAULT_CONFIG.shadowPushConcurrency : spec.reservedConcurrency;
    expect(reserved).toBe(expected);
  });

  it.each(functionEntries)('%s: table grants are exactly the wiring (read, write, readWrite)', (key, spec) => {
    const statements = roleStatements(key);
    for (const [table] of tableEntries) {
      const access = (spec.tables as Partial<Record<TableKey, TableAccess>>)[table];
      const granted = actionsOn(statements, getAtt(tableId(table)));
      expect(granted.some((a) => a === 'dynamodb:Query'), `${table} read`).toBe(access === 'read' || access === 'readWrite');
      expect(granted.some((a) => a === 'dynamodb:PutItem'), `${table} write`).toBe(access === 'write' || access === 'readWrite');
    }
  });

  it.each(functionEntries)('%s: events, secret and shadow permissions only when the wiring says so', (key, spec) => {
    const actions = roleStatements(key).flatMap((s) => asArray(s.Action));
    expect(actions.includes('events:PutEvents')).toBe(spec.publishesEvents);
    expect(actions.includes('secretsmanager:GetSecretValue')).toBe((spec.secrets ?? []).length > 0);
    expect(actions.includes('iot:UpdateThingShadow')).toBe(spec.writesShadows);
    expect(actions.includes('iot:CreateThing')).toBe(spec.managesThings === true);
    // Wildcards would show up here: allowed only for the shadow grant on `thing/*` and thing management.
    const wildcards = roleStatements(key).filter((s) => JSON.stringify(s.Resource).includes('*'));
    const wildcardActions = wildcards.flatMap((s) => asArray(s.Action));
    if (spec.writesShadows) expect(wildcardActions.sort()).toEqual(['iot:GetThingShadow', 'iot:UpdateThingShadow']);
    else if (spec.managesThings) expect(wildcardActions.every((a) => a.startsWith('iot:'))).toBe(true);
    else expect(wildcardActions).toEqual([]);
  });

  it('thing management: group actions reach only the Hearth-managed groups, CreateKeysAndCertificate alone on "*"', () => {
    for (const [key] of functionEntries.filter(([, spec]) => spec.managesThings)) {
      const statements = roleStatements(key);
      const groupResources = statements.filter((s) => asArray(s.Action).includes('iot:CreateThingGroup')).flatMap((s) => asArray(s.Resource));
      expect(JSON.stringify(groupResources)).not.toContain('thinggroup/*');
      for (const prefix of ['zone-', 'dr-', 'feeder-']) expect(JSON.stringify(groupResources)).toContain(`thinggroup/${prefix}*`);
      const onStar = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
      expect(onStar.flatMap((s) => asArray(s.Action))).toEqual(['iot:CreateKeysAndCertificate']);
    }
  });

  it('no role uses an AWS managed policy', () => {
    for (const role of ofType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('functions invoked asynchronously send failures to the dead-letter queue', () => {
    const asyncKeys = functionEntries.filter(([, spec]) => spec.triggers.some((t) => t.kind === 'events' || t.kind === 'schedules'));
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', asyncKeys.length);
    for (const [key] of asyncKeys) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId(key) },
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    }
  });

  it('venSync: subscribes the VTN to the DR webhook callback of this stack', () => {
    const variables = (resources[functionId('venSync')]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables[VTN_CALLBACK_URL_ENV])).toContain(OPENADR_CALLBACK_PATH);
    expect(JSON.stringify(variables[VTN_CALLBACK_URL_ENV])).toContain('DrWebhook');
  });

  it('planDevices: handled events remembered in the idempotency table for longer than any redelivery', () => {
    const planDevices = functionId('planDevices');
    const variables = (resources[planDevices]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables[tables.idempotency.envVar]).toEqual({ Ref: tableId('idempotency') });
    expect(actionsOn(roleStatements('planDevices'), getAtt(tableId('idempotency')))).toEqual(expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(resources[tableId('idempotency')]!.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true });
    // An event reaches the function at most as late as EventBridge keeps retrying its delivery, after which
    // Lambda keeps retrying the invocation for at most its own maximum event age.
    const delivery = ofType('AWS::Events::Rule')
      .flatMap((rule) => (rule.Properties.Targets ?? []) as { Arn: unknown; RetryPolicy?: { MaximumEventAgeInSeconds?: number } }[])
      .filter((target) => JSON.stringify(target.Arn) === JSON.stringify(getAtt(planDevices)))
      .map((target) => target.RetryPolicy?.MaximumEventAgeInSeconds ?? 24 * 3600);
    const invocation = ofType('AWS::Lambda::EventInvokeConfig')
      .filter((config) => JSON.stringify(config.Properties.FunctionName) === JSON.stringify({ Ref: planDevices }))
      .map((config) => (config.Properties.MaximumEventAgeInSeconds as number | undefined) ?? 6 * 3600);
    expect(delivery.length).toBeGreaterThan(0);
    expect(invocation).toHaveLength(1);
    expect(Math.max(...delivery) + invocation[0]!).toBeLessThanOrEqual(HANDLED_EVENT_RETENTION_S);
  });
});

describe('devices', () => {
  it('the device policy lets a device publish only its own telemetry', () => {
    const policy = JSON.stringify(ofType('AWS::IoT::Policy')[0]!.Properties.PolicyDocument);
    expect(policy).toContain(telemetryTopic('${iot:Connection.Thing.ThingName}'));
    expect(policy).not.toMatch(/topic\/\*"/);
  });
});
