import { TELEMETRY_RULE_NAME } from '../../wiring/topics.ts';
import type { LocalQueue } from './local-queue.ts';

interface PublishSource {
  on(event: 'publish', listener: (packet: { topic: string; payload: Buffer | string }, client: unknown) => void): unknown;
}

const RULE_TOPIC = new RegExp(`^\\$aws/rules/${TELEMETRY_RULE_NAME}/devices/([^/]+)/telemetry$`);

/**
 * The telemetry IoT rule, locally: what devices publish on the Basic Ingest topic goes to the telemetry queue.
 * Like the rule's SQL (`SELECT *, topic(2) AS topicDeviceId`), it adds the device id read from the topic; a
 * payload that is not a JSON object passes through unchanged, as the rule would fail to add a field to it and
 * the handler must quarantine it.
 */
export class TelemetryCollector {
  received = 0;

  constructor(broker: PublishSource, queue: LocalQueue) {
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
      queue.push(body);
    });
  }
}
