import { explainIssues } from '../../../schemas/explain.ts';
import { OpenAdrEvent, OpenAdrNotification } from '../../../schemas/openadr.ts';
import type { Clock } from '../../ports/clock.ts';
import { directivesOf } from './dr-directives.ts';
import { eventSchedule } from './event-schedule.ts';
import { normaliseNotification } from './normalise-notification.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { GridEventStore, QuarantineStore } from '../../ports/stores.ts';

export interface ReceiveNotificationPorts {
  gridEvents: GridEventStore;
  quarantine: QuarantineStore;
  events: EventPublisher;
  clock: Clock;
}

export type NotificationOutcome =
  | { status: 'stored'; gridEventId: string; change: 'new' | 'updated' }
  | { status: 'duplicate'; gridEventId: string }
  | { status: 'ignored'; objectType: string }
  | { status: 'invalid'; reason: string };

export const QUARANTINE_SOURCE = 'dr-webhook';

/**
 * Some VTNs send the notification JSON-encoded a second time, as a JSON string; unwrap once.
 */
function parseBody(body: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    let value: unknown = JSON.parse(body);
    if (typeof value === 'string') value = JSON.parse(value);
    return { ok: true, value: normaliseNotification(value) };
  } catch (e) {
    return { ok: false, reason: `body is not valid JSON: ${(e as Error).message}` };
  }
}

/** An OpenADR 3 notification: validated, the event stored once per modification, GridEventReceived emitted. */
export async function receiveNotification(body: string, ports: ReceiveNotificationPorts): Promise<NotificationOutcome> {
  const now = ports.clock.now();
  const invalid = async (reason: string): Promise<NotificationOutcome> => {
    await ports.quarantine.put(QUARANTINE_SOURCE, now, reason, body);
    return { status: 'invalid', reason };
  };
  const json = parseBody(body);
  if (!json.ok) return invalid(json.reason);
  const notification = OpenAdrNotification.safeParse(json.value);
  if (!notification.success) return invalid(`notification is invalid: ${explainIssues(notification.error)}`);
  const { objectType, operation, object } = notification.data;
  if (objectType !== 'EVENT') return { status: 'ignored', objectType };

  const event = OpenAdrEvent.safeParse(object);
  if (!event.success) return invalid(`event is invalid: object.${explainIssues(event.error)}`);
  const { id, modificationDateTime, createdDateTime, programID } = event.data;
  if (!id) return invalid('event is invalid: object.id: a notified event must carry its id');
  const stamp = modificationDateTime ?? createdDateTime;
  const modifiedMs = stamp ? Date.parse(stamp) : NaN;
  if (stamp && Number.isNaN(modifiedMs)) return invalid(`event is invalid: object.modificationDateTime: "${stamp}" is not a date-time`);
  const modifiedAt = Number.isNaN(modifiedMs) ? now.toISOString() : new Date(modifiedMs).toISOString();

  // A notification whose time line or levels mean nothing is refused now, not discovered at dispatch.
  let schedule: ReturnType<typeof eventSchedule>;
  try {
    schedule = eventSchedule(event.data, now);
    directivesOf(schedule);
  } catch (e) {
    return invalid(`event is invalid: ${(e as Error).message}`);
  }
  // DELETE cancels; so does a rewrite to zero length (no interval, or only intervals of no duration).
  const zeroLength = schedule.slots.every((slot) => slot.end !== null && slot.end.getTime() <= slot.start.getTime());
  const cancelled = operation === 'DELETE' || zeroLength;
  const change = await ports.gridEvents.upsert({
    gridEventId: id,
    programId: programID,
    modifiedAt,
    cancelled,
    receivedAt: now.toISOString(),
    event: event.data as Record<string, unknown>,
  });
  if (change === 'unchanged') return { status: 'duplicate', gridEventId: id };
  await ports.events.publish('GridEventReceived', [{ gridEventId: id, programId: programID, modifiedAt, cancelled }]);
  return { status: 'stored', gridEventId: id, change };
}
