import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { GridEventRecord, GridEventStore } from '../../ports/stores.ts';

type Announced = Pick<GridEventRecord, 'gridEventId' | 'programId' | 'modifiedAt' | 'cancelled'>;

/**
 * Publishes GridEventReceived for a stored version of an event, then records that it was. An event is stored
 * before it is announced; if the announcement fails, the sender's retry (or the next poll) finds the version
 * stored but not announced and announces it then, instead of answering "duplicate" and leaving it unplanned.
 */
export async function announceEvent(record: Announced, ports: { events: EventPublisher; gridEvents: Pick<GridEventStore, 'markAnnounced'> }): Promise<void> {
  const { gridEventId, programId, modifiedAt, cancelled } = record;
  await ports.events.publish('GridEventReceived', [{ gridEventId, programId, modifiedAt, cancelled }]);
  await ports.gridEvents.markAnnounced(gridEventId, modifiedAt);
}

/** The stored version was never announced (its announcement failed); records from before the flag count as announced. */
export const awaitsAnnouncement = (stored: GridEventRecord | undefined): stored is GridEventRecord => stored?.announced === false;
