import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { HANDLER_RETRY_ATTEMPTS, MAX_EVENT_AGE } from './delivery-policy.ts';
import type { WiredFunction } from './functions.ts';
import { isInvokedAsynchronously } from './triggers.ts';

/**
 * EventBridge and the Scheduler invoke Lambda asynchronously: their retry policies cover delivery only. A handler
 * that throws is retried by Lambda, then its event goes to the dead-letter queue instead of being dropped.
 */
export function configureAsyncInvocation(functions: readonly WiredFunction[], deadLetterQueue: IQueue): void {
  for (const { function: fn } of functions.filter((f) => isInvokedAsynchronously(f.spec))) {
    fn.configureAsyncInvoke({ retryAttempts: HANDLER_RETRY_ATTEMPTS, maxEventAge: MAX_EVENT_AGE, onFailure: new SqsDestination(deadLetterQueue) });
  }
}
