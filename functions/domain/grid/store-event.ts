import { explainIssues } from '../../../schemas/explain.ts';
import { OpenAdrEvent } from '../../../schemas/openadr.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { GridEventStore, QuarantineStore } from '../../ports/stores.ts';
import { announceEvent, awaitsAnnouncement } from './announce-event.ts';
import { directivesOf } from './dr-directives.ts';
import { mayPostProgram, type Caller } from './program-access.ts';
import { eventSchedule } from './event-schedule.ts';

export type EventOutcome =
  | { status: 'stored'; gridEventId: string; change: 'new' | 'updated' }
  | { status: 'duplicate'; gridEventId: string }
  | { status: 'invalid'; reason: string }
  | { status: 'forbidden'; reason: string };

export interface StoreEventPorts {
  gridEvents: GridEventStore;
  quarantine: QuarantineStore;
  events: EventPublisher;
  /** Where a refused event is filed (`dr-webhook`, `vtn-poll`). */
  quarantineSource: string;
  /** What arrived, kept with the reason when the event is refused. */
  raw: string;
  now: Date;
  /** Names the event in reasons: `object` for a notification, `events[3]` for a polled list. */
  fieldPrefix?: string;
  /** Who sent it, when that limits which programs' events it may post (the webhook's utility). */
  caller?: Caller;
}

/** The operations that cancel; 3.0 servers say POST/PUT for create/update, which do not. */
const CANCELLING = new Set(['DELETE']);

/** JSON with object keys sorted: a stored map (DynamoDB keeps no key order) compares equal to what was sent. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * One OpenADR event object, however it arrived (a webhook notification, a poll of the VTN): validated, stored
 * once per modification time, and `GridEventReceived` published when it is new or changed. `operation` is the
 * notification's (polls pass UPDATE). An event without any time stamp is compared by content, so a VTN that
 * leaves them out does not make every poll look like a change.
 */
export async function storeEventObject(object: unknown, operation: string, ports: StoreEventPorts): Promise<EventOutcome> {
  const { now } = ports;
  const at = ports.fieldPrefix ?? 'object';
  const invalid = async (reason: string): Promise<EventOutcome> => {
    await ports.quarantine.put(ports.quarantineSource, now, reason, ports.raw);
    return { status: 'invalid', reason };
  };
  const event = OpenAdrEvent.safeParse(object);
  if (!event.success) return invalid(`event is invalid: ${at}.${explainIssues(event.error)}`);
  const { id, modificationDateTime, createdDateTime, programID } = event.data;
  if (!id) return invalid(`event is invalid: ${at}.id: a notified event must carry its id`);
  // Refused before anything is stored: a utility's token reaches only its own programs.
  if (ports.caller && !mayPostProgram(ports.caller.utility, programID, ports.caller.programs)) {
    return { status: 'forbidden', reason: `this token may not post events of program ${programID}` };
  }
  const stamp = modificationDateTime ?? createdDateTime;
  const modifiedMs = stamp ? Date.parse(stamp) : NaN;
  if (stamp && Number.isNaN(modifiedMs)) return invalid(`event is invalid: ${at}.modificationDateTime: "${stamp}" is not a date-time`);

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
  const cancelled = CANCELLING.has(operation) || zeroLength;
  const content = event.data as Record<string, unknown>;
  if (!stamp) {
    const stored = await ports.gridEvents.get(id);
    if (stored && stored.cancelled === cancelled && canonicalJson(stored.event) === canonicalJson(content)) {
      if (awaitsAnnouncement(stored)) await announceEvent(stored, ports);
      return { status: 'duplicate', gridEventId: id };
    }
  }
  const modifiedAt = Number.isNaN(modifiedMs) ? now.toISOString() : new Date(modifiedMs).toISOString();
  const change = await ports.gridEvents.upsert({
    gridEventId: id,
    programId: programID,
    modifiedAt,
    cancelled,
    receivedAt: now.toISOString(),
    event: content,
  });
  if (change === 'unchanged') {
    const stored = await ports.gridEvents.get(id);
    if (awaitsAnnouncement(stored) && stored.modifiedAt === modifiedAt && stored.cancelled === cancelled) await announceEvent(stored, ports);
    return { status: 'duplicate', gridEventId: id };
  }
  await announceEvent({ gridEventId: id, programId: programID, modifiedAt, cancelled }, ports);
  return { status: 'stored', gridEventId: id, change };
}
