import type { Construct } from 'constructs';
import { TELEMETRY_RULE_NAME, TELEMETRY_RULE_TOPIC_FILTER } from '../wiring/topics.ts';
import type { WiredFunction } from './functions.ts';
import { IotRuleQueue } from './iot-rule-queue.ts';
import { triggersOf } from './triggers.ts';

export { MAX_RECEIVE_COUNT } from './iot-rule-queue.ts';

/**
 * Devices publish on the Basic Ingest topic `$aws/rules/<rule>/devices/<id>/telemetry` (no broker charge). The
 * rules engine strips `$aws/rules/<rule>` before evaluating the SQL, so FROM names the topic without it and
 * `topic(2)` is the device id the handler checks against the payload's own.
 * https://docs.aws.amazon.com/iot/latest/developerguide/iot-basic-ingest.html
 */
export const TELEMETRY_RULE_SQL = `SELECT *, topic(2) AS topicDeviceId FROM '${TELEMETRY_RULE_TOPIC_FILTER}'`;

/** IoT rule → SQS → the one function with a `{ kind: 'telemetryQueue' }` trigger, in partial-batch mode. */
export function telemetryIngest(scope: Construct, id: string, consumer: WiredFunction): IotRuleQueue {
  const [trigger, ...more] = triggersOf(consumer.spec, 'telemetryQueue');
  if (!trigger || more.length > 0) throw new Error(`${consumer.spec.id} must have exactly one telemetryQueue trigger`);
  return new IotRuleQueue(scope, id, {
    ruleName: TELEMETRY_RULE_NAME,
    sql: TELEMETRY_RULE_SQL,
    description: 'Basic Ingest telemetry → SQS → ingest function',
    consumer,
    batchSize: trigger.batchSize,
    maxBatchingWindowS: trigger.maxBatchingWindowS,
  });
}
