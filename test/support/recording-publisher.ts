import type { EventDetail, EventDetailType } from '../../schemas/events.ts';
import { EventDetails } from '../../schemas/events.ts';
import type { EventPublisher } from '../../functions/ports/event-publisher.ts';

/** An EventPublisher that checks each detail against its schema, as EventBridgePublisher does, and keeps it. */
export class RecordingPublisher implements EventPublisher {
  readonly published: { detailType: EventDetailType; detail: unknown }[] = [];

  async publish<T extends EventDetailType>(detailType: T, details: readonly EventDetail<T>[]): Promise<void> {
    for (const detail of details) this.published.push({ detailType, detail: EventDetails[detailType].parse(detail) });
  }

  of<T extends EventDetailType>(detailType: T): EventDetail<T>[] {
    return this.published.filter((p) => p.detailType === detailType).map((p) => p.detail as EventDetail<T>);
  }

  clear(): void {
    this.published.length = 0;
  }
}
