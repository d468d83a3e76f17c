import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TELEMETRY_RULE_NAME, TELEMETRY_RULE_TOPIC_FILTER } from '../wiring/topics.ts';
import type { WiredFunction } from './functions.ts';
import { LOG_RETENTION } from './log-retention.ts';
import { DEAD_LETTER_RETENTION, secureQueue } from './queues.ts';
import { triggersOf } from './triggers.ts';

/**
 * Devices publish on the Basic Ingest topic `$aws/rules/<rule>/devices/<id>/telemetry` (no broker charge). The
 * rules engine strips `$aws/rules/<rule>` before evaluating the SQL, so FROM names the topic without it and
 * `topic(2)` is the device id the handler checks against the payload's own.
 * https://docs.aws.amazon.com/iot/latest/developerguide/iot-basic-ingest.html
 */
export const TELEMETRY_RULE_SQL = `SELECT *, topic(2) AS topicDeviceId FROM '${TELEMETRY_RULE_TOPIC_FILTER}'`;

/** SQS retries a batch this often before dead-lettering it; the handler fails records only on infrastructure errors. */
export const MAX_RECEIVE_COUNT = 5;

/** IoT rule → SQS → the one function with a `{ kind: 'telemetryQueue' }` trigger, in partial-batch mode. */
export class TelemetryIngest extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly rule: CfnTopicRule;

  constructor(scope: Construct, id: string, { spec, function: fn }: WiredFunction) {
    super(scope, id);
    const [trigger, ...more] = triggersOf(spec, 'telemetryQueue');
    if (!trigger || more.length > 0) throw new Error(`${spec.id} must have exactly one telemetryQueue trigger`);

    this.deadLetterQueue = secureQueue(this, 'DeadLetterQueue', { retentionPeriod: DEAD_LETTER_RETENTION });
    this.queue = secureQueue(this, 'Queue', {
      // AWS's guidance for Lambda consumers: at least 6 × the function timeout plus the batching window, so the
      // messages of a batch still in work (throttled invokes are retried by the poller) do not reappear meanwhile.
      visibilityTimeout: Duration.seconds(6 * spec.timeoutS + trigger.maxBatchingWindowS),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: trigger.batchSize,
        maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowS),
        reportBatchItemFailures: true,
      }),
    );

    const stack = Stack.of(this);
    const ruleArn = stack.formatArn({ service: 'iot', resource: 'rule', resourceName: TELEMETRY_RULE_NAME });
    const assumedByThisRule = new ServicePrincipal('iot.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnEquals: { 'aws:SourceArn': ruleArn } },
    });

    // One role per action, each able to do exactly that action.
    const sendRole = new Role(this, 'SendRole', { assumedBy: assumedByThisRule, description: `${TELEMETRY_RULE_NAME}: enqueue telemetry` });
    // Not grantSendMessages: the rules engine needs SendMessage only, not GetQueueAttributes/GetQueueUrl.
    sendRole.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));

    // Rule errors (the SQS action failing) go to a log group, not to the DLQ: the DLQ then holds only telemetry
    // the handler could not store, all in one format, and can be redriven to the queue as is.
    const errorLogs = new LogGroup(this, 'RuleErrors', { retention: LOG_RETENTION });
    const errorRole = new Role(this, 'ErrorRole', { assumedBy: assumedByThisRule, description: `${TELEMETRY_RULE_NAME}: log rule errors` });
    errorLogs.grantWrite(errorRole);
    errorLogs.grant(errorRole, 'logs:DescribeLogStreams');

    this.rule = new CfnTopicRule(this, 'Rule', {
      ruleName: TELEMETRY_RULE_NAME,
      topicRulePayload: {
        description: 'Basic Ingest telemetry → SQS → ingest function',
        sql: TELEMETRY_RULE_SQL,
        awsIotSqlVersion: '2016-03-23',
        ruleDisabled: false,
        actions: [{ sqs: { queueUrl: this.queue.queueUrl, roleArn: sendRole.roleArn, useBase64: false } }],
        errorAction: { cloudwatchLogs: { logGroupName: errorLogs.logGroupName, roleArn: errorRole.roleArn } },
      },
    });
  }
}
