import type { EventDetail, EventDetailType } from '../../schemas/events.ts';

export interface EventPublisher {
  /** Publishes events on the Hearth bus; resolves only when every entry was accepted. */
  publish<T extends EventDetailType>(detailType: T, details: readonly EventDetail<T>[]): Promise<void>;
}
