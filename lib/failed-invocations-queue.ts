import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeNagFinding } from './nag.ts';
import { DEAD_LETTER_RETENTION, secureQueue } from './queues.ts';

/**
 * One dead-letter queue for every asynchronous path into the handlers: events EventBridge could not deliver,
 * schedules the Scheduler could not deliver, and invocations whose handler still failed after Lambda's retries.
 * Each message's attributes say which path it came from; one queue means one alarm and one place to look.
 */
export function failedInvocationsQueue(scope: Construct, id: string): Queue {
  const queue = secureQueue(scope, id, { retentionPeriod: DEAD_LETTER_RETENTION });
  acknowledgeNagFinding(
    queue,
    'AwsSolutions-SQS3',
    'This queue is itself a dead-letter queue: the DeadLetterConfig of the EventBridge rule targets and Scheduler ' +
      'schedules and the on-failure destination of the Lambda functions point at it. cdk-nag only recognises DLQs named in an SQS redrive policy.',
  );
  return queue;
}
