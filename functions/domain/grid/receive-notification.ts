import { explainIssues } from '../../../schemas/explain.ts';
import { OpenAdrNotification } from '../../../schemas/openadr.ts';
import type { Clock } from '../../ports/clock.ts';
import { normaliseNotification } from './normalise-notification.ts';
import { DEFAULT_CALLER, type Caller } from './program-access.ts';
import { storeEventObject, type EventOutcome } from './store-event.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { GridEventStore, QuarantineStore } from '../../ports/stores.ts';

export interface ReceiveNotificationPorts {
  gridEvents: GridEventStore;
  quarantine: QuarantineStore;
  events: EventPublisher;
  clock: Clock;
}

export type NotificationOutcome = EventOutcome | { status: 'ignored'; objectType: string };

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

/**
 * An OpenADR 3 notification: validated, the event stored once per modification, GridEventReceived emitted.
 * Storing is shared with polling (`storeEventObject`), so an event means the same whichever way it came.
 */
export async function receiveNotification(body: string, ports: ReceiveNotificationPorts, caller: Caller = DEFAULT_CALLER): Promise<NotificationOutcome> {
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
  return storeEventObject(object, operation, { ...ports, quarantineSource: QUARANTINE_SOURCE, raw: body, now, caller });
}
