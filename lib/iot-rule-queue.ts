import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WiredFunction } from './functions.ts';
import { LOG_RETENTION } from './log-retention.ts';
import { DEAD_LETTER_RETENTION, secureQueue } from './queues.ts';

/** SQS retries a batch this often before dead-lettering it; the handlers fail records only on infrastructure errors. */
export const MAX_RECEIVE_COUNT = 5;

export interface IotRuleQueueProps {
  readonly ruleName: string;
  readonly sql: string;
  readonly description: string;
  readonly consumer: WiredFunction;
  readonly batchSize: number;
  readonly maxBatchingWindowS: number;
}

/**
 * An IoT rule → an SQS queue with a dead-letter queue → one function in partial-batch mode. The queue absorbs
 * bursts (a fleet reconnecting after an outage) that would otherwise be one Lambda invocation per message.
 */
export class IotRuleQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly rule: CfnTopicRule;

  constructor(scope: Construct, id: string, props: IotRuleQueueProps) {
    super(scope, id);
    const { ruleName, consumer } = props;

    this.deadLetterQueue = secureQueue(this, 'DeadLetterQueue', { retentionPeriod: DEAD_LETTER_RETENTION });
    this.queue = secureQueue(this, 'Queue', {
      // AWS's guidance for Lambda consumers: at least 6 × the function timeout plus the batching window, so the
      // messages of a batch still in work (throttled invokes are retried by the poller) do not reappear meanwhile.
      visibilityTimeout: Duration.seconds(6 * consumer.spec.timeoutS + props.maxBatchingWindowS),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    consumer.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize,
        maxBatchingWindow: Duration.seconds(props.maxBatchingWindowS),
        reportBatchItemFailures: true,
      }),
    );

    const stack = Stack.of(this);
    const ruleArn = stack.formatArn({ service: 'iot', resource: 'rule', resourceName: ruleName });
    const assumedByThisRule = new ServicePrincipal('iot.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnEquals: { 'aws:SourceArn': ruleArn } },
    });

    // One role per action, each able to do exactly that action.
    const sendRole = new Role(this, 'SendRole', { assumedBy: assumedByThisRule, description: `${ruleName}: enqueue messages` });
    // Not grantSendMessages: the rules engine needs SendMessage only, not GetQueueAttributes/GetQueueUrl.
    sendRole.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));

    // Rule errors (the SQS action failing) go to a log group, not to the DLQ: the DLQ then holds only messages
    // the handler could not store, all in one format, and can be redriven to the queue as is.
    const errorLogs = new LogGroup(this, 'RuleErrors', { retention: LOG_RETENTION });
    const errorRole = new Role(this, 'ErrorRole', { assumedBy: assumedByThisRule, description: `${ruleName}: log rule errors` });
    errorLogs.grantWrite(errorRole);
    errorLogs.grant(errorRole, 'logs:DescribeLogStreams');

    this.rule = new CfnTopicRule(this, 'Rule', {
      ruleName,
      topicRulePayload: {
        description: props.description,
        sql: props.sql,
        awsIotSqlVersion: '2016-03-23',
        ruleDisabled: false,
        actions: [{ sqs: { queueUrl: this.queue.queueUrl, roleArn: sendRole.roleArn, useBase64: false } }],
        errorAction: { cloudwatchLogs: { logGroupName: errorLogs.logGroupName, roleArn: errorRole.roleArn } },
      },
    });
  }
}
