import type { Construct } from 'constructs';
import { PRESENCE_RULE_NAME, PRESENCE_TOPIC_FILTER } from '../wiring/topics.ts';
import type { WiredFunction } from './functions.ts';
import { IotRuleQueue } from './iot-rule-queue.ts';
import { triggersOf } from './triggers.ts';

/**
 * AWS IoT publishes a lifecycle event on `$aws/events/presence/<connected|disconnected>/<clientId>` whenever a
 * client connects or disconnects; a rule may read these reserved topics (a `#` subscription never sees them).
 * https://docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html
 */
export const PRESENCE_RULE_SQL = `SELECT * FROM '${PRESENCE_TOPIC_FILTER}'`;

/** Lifecycle events → SQS → the one function with a `{ kind: 'presenceQueue' }` trigger. */
export function presenceEvents(scope: Construct, id: string, consumer: WiredFunction): IotRuleQueue {
  const [trigger, ...more] = triggersOf(consumer.spec, 'presenceQueue');
  if (!trigger || more.length > 0) throw new Error(`${consumer.spec.id} must have exactly one presenceQueue trigger`);
  return new IotRuleQueue(scope, id, {
    ruleName: PRESENCE_RULE_NAME,
    sql: PRESENCE_RULE_SQL,
    description: 'IoT lifecycle events (connected, disconnected) → SQS → presence function',
    consumer,
    batchSize: trigger.batchSize,
    maxBatchingWindowS: trigger.maxBatchingWindowS,
  });
}
