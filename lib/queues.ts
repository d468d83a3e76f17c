import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** SQS-managed encryption at rest and TLS-only access, for every queue of the stack. */
export function secureQueue(scope: Construct, id: string, props: Omit<QueueProps, 'encryption' | 'enforceSSL'> = {}): Queue {
  // SSE-SQS rather than a KMS key: EventBridge, the Scheduler and IoT rules can write to it with no key policy.
  return new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
}

/** A dead-letter queue keeps messages for the longest SQS allows, to leave time to look and redrive. */
export const DEAD_LETTER_RETENTION = Duration.days(14);
