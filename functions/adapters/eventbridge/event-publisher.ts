import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, EventDetails, type EventDetail, type EventDetailType } from '../../../schemas/events.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';

/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish<T extends EventDetailType>(detailType: T, details: readonly EventDetail<T>[]): Promise<void> {
    const schema = EventDetails[detailType];
    const entries = details.map((d) => ({
      EventBusName: this.busName,
      Source: EVENT_SOURCE,
      DetailType: detailType,
      // Checked before sending: a malformed event would fail every consumer downstream.
      Detail: JSON.stringify(schema.parse(d)),
    }));
    for (let i = 0; i < entries.length; i += MAX_ENTRIES) {
      const batch = entries.slice(i, i + MAX_ENTRIES);
      const out = await this.client.send(new PutEventsCommand({ Entries: batch }));
      if (out.FailedEntryCount) {
        const reasons = (out.Entries ?? []).filter((e) => e.ErrorCode).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`);
        throw new Error(`EventBridge refused ${out.FailedEntryCount} of ${batch.length} ${detailType} events: ${reasons.join('; ')}`);
      }
    }
  }
}
