import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { GridEventStore, QuarantineStore } from '../../ports/stores.ts';
import type { VenStateStore } from '../../ports/ven-state.ts';
import type { Vtn } from '../../ports/vtn.ts';
import { storedEventWindow } from './grid-event-window.ts';
import { storeEventObject, type EventOutcome } from './store-event.ts';

export const POLL_QUARANTINE_SOURCE = 'vtn-poll';

/** The webhook counts as working while the VTN reached it this recently; past that the VEN polls. */
export const DEFAULT_SILENCE_BEFORE_POLL_MS = 30 * 60_000;

export interface PollPorts {
  vtn: Vtn;
  venState: VenStateStore;
  gridEvents: GridEventStore;
  quarantine: QuarantineStore;
  events: EventPublisher;
  clock: Clock;
}

export type PollOutcome =
  | { polled: false; reason: string }
  | { polled: true; reason: string; fetched: number; stored: number; duplicates: number; invalid: number; cancelledAsDeleted: number };

/**
 * Polling, the fallback when webhooks stop: when no notification reached us for `silenceMs` (or none ever
 * did), every event of our programs is read from the VTN and goes through the same path as a notification
 * (validated, stored once per modification, GridEventReceived when new or changed). All programs are read
 * before anything is stored, so a malformed or failing answer stores nothing. An event we hold, not cancelled
 * and not yet over, that the VTN no longer lists was deleted while the webhook was down: it is cancelled, as
 * its DELETE notification would have.
 */
export async function pollEventsIfSilent(ports: PollPorts, programIds: readonly string[], silenceMs = DEFAULT_SILENCE_BEFORE_POLL_MS): Promise<PollOutcome> {
  const now = ports.clock.now();
  const { lastNotificationAt } = await ports.venState.contact();
  const quietMs = lastNotificationAt ? now.getTime() - Date.parse(lastNotificationAt) : Infinity;
  if (quietMs < silenceMs) return { polled: false, reason: `a notification arrived ${Math.round(quietMs / 60_000)} min ago` };

  const listed = new Map<string, Record<string, unknown>[]>();
  for (const programId of programIds) listed.set(programId, await ports.vtn.events(programId));

  const outcome = { fetched: 0, stored: 0, duplicates: 0, invalid: 0, cancelledAsDeleted: 0 };
  // A poll passes no caller, so nothing is refused as forbidden; were it, it would count as not stored.
  const count = (status: EventOutcome['status']) => void (status === 'stored' ? outcome.stored++ : status === 'duplicate' ? outcome.duplicates++ : outcome.invalid++);
  const seen = new Set<string>();
  for (const [programId, objects] of listed) {
    for (const [i, object] of objects.entries()) {
      outcome.fetched++;
      if (typeof object.id === 'string') seen.add(object.id);
      const stored = await storeEventObject(object, 'UPDATE', {
        ...ports,
        quarantineSource: POLL_QUARANTINE_SOURCE,
        raw: JSON.stringify(object),
        now,
        fieldPrefix: `GET /events?programID=${programId} [${i}]`,
      });
      count(stored.status);
    }
  }

  const polledPrograms = new Set(programIds);
  for (const record of await ports.gridEvents.listAll()) {
    if (record.cancelled || !polledPrograms.has(record.programId) || seen.has(record.gridEventId)) continue;
    const window = storedEventWindow(record);
    if (!window || window.endMs <= now.getTime()) continue;
    // Later than what is stored, so the store's forward-only condition takes the cancellation.
    const modifiedAt = new Date(Math.max(now.getTime(), Date.parse(record.modifiedAt) + 1)).toISOString();
    const deleted = await storeEventObject({ ...record.event, modificationDateTime: modifiedAt }, 'DELETE', {
      ...ports,
      quarantineSource: POLL_QUARANTINE_SOURCE,
      raw: JSON.stringify(record.event),
      now,
    });
    if (deleted.status === 'stored') outcome.cancelledAsDeleted++;
  }
  await ports.venState.pollDone(now);
  return { polled: true, reason: lastNotificationAt ? `no notification since ${lastNotificationAt}` : 'no notification ever received', ...outcome };
}
