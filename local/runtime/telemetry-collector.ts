import type { SQSEvent } from 'aws-lambda';
import { TELEMETRY_RULE_NAME } from '../../wiring/topics.ts';

interface PublishSource {
  on(event: 'publish', listener: (packet: { topic: string; payload: Buffer | string }, client: unknown) => void): unknown;
}

const RULE_TOPIC = new RegExp(`^\\$aws/rules/${TELEMETRY_RULE_NAME}/devices/([^/]+)/telemetry$`);

/**
 * The IoT rule and SQS queue of the telemetry path, locally: collects what devices publish on the Basic
 * Ingest topic and hands it out as SQS batches. Like the rule's SQL (`SELECT *, topic(2) AS topicDeviceId`),
 * it adds the device id read from the topic; a payload that is not a JSON object passes through unchanged,
 * as the rule would fail to add a field to it and the handler must quarantine it.
 */
export class TelemetryCollector {
  private pending: string[] = [];
  private sequence = 0;
  received = 0;

  constructor(broker: PublishSource) {
    broker.on('publish', (packet, client) => {
      const match = RULE_TOPIC.exec(packet.topic);
      if (!match || !client) return;
      this.received++;
      const text = packet.payload.toString();
      let body = text;
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = JSON.stringify({ ...parsed, topicDeviceId: match[1] });
      } catch {
        // passed on as is: the handler quarantines it with the reason
      }
      this.pending.push(body);
    });
  }

  /** Puts a record back for redelivery, as SQS does after a batch item failure. */
  requeue(body: string): void {
    this.pending.push(body);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Takes everything collected so far as SQS events of at most `batchSize` records. */
  drain(batchSize: number): SQSEvent[] {
    const bodies = this.pending;
    this.pending = [];
    const events: SQSEvent[] = [];
    for (let i = 0; i < bodies.length; i += batchSize) {
      events.push({
        Records: bodies.slice(i, i + batchSize).map((body) => {
          const id = `local-${++this.sequence}`;
          return {
            messageId: id,
            receiptHandle: id,
            body,
            attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'iot', ApproximateFirstReceiveTimestamp: '0' },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:local:000000000000:telemetry',
            awsRegion: 'local',
          };
        }),
      });
    }
    return events;
  }
}
