import { DispatchRequest } from '../../../schemas/dispatch.ts';
import { checkJson } from '../../../schemas/explain.ts';
import { DEFAULT_UTILITY } from '../../ports/token-source.ts';
import { announceEvent, awaitsAnnouncement } from './announce-event.ts';
import { FLEET_WIDE_PROGRAM } from './event-targets.ts';
import { DEFAULT_CALLER, mayPostProgram, type Caller } from './program-access.ts';
import type { ReceiveNotificationPorts } from './receive-notification.ts';
import type { EventOutcome } from './store-event.ts';

/** What a dispatch comes to: the same outcomes as an OpenADR event's. */
export type DispatchOutcome = EventOutcome;

const QUARANTINE_SOURCE = 'dispatch-webhook';
/** Dispatch ids are the aggregator's own; a second utility's ids get its name, so two cannot collide. */
const gridEventIdOf = (utility: string, dispatchId: string) => (utility === DEFAULT_UTILITY ? `dispatch-${dispatchId}` : `dispatch-${utility}-${dispatchId}`);


/**
 * A plain dispatch becomes the OpenADR event it means (an IMPORT_CAPACITY_LIMIT over its window), so one
 * fleet dispatch path serves both webhooks. A retry with the same id is a duplicate; the only change a
 * dispatch accepts afterwards is its cancellation.
 */
export async function receiveDispatch(
  body: string,
  ports: ReceiveNotificationPorts,
  caller: Caller = DEFAULT_CALLER,
): Promise<DispatchOutcome> {
  const now = ports.clock.now();
  const checked = checkJson(DispatchRequest, body, 'dispatch');
  if (!checked.ok) {
    await ports.quarantine.put(QUARANTINE_SOURCE, now, checked.error, body);
    return { status: 'invalid', reason: checked.error };
  }
  const d = checked.value;
  const programId = d.programId ?? FLEET_WIDE_PROGRAM;
  // Refused before anything is read or stored: a utility's token reaches only its own programs.
  if (!mayPostProgram(caller.utility, programId, caller.programs)) return { status: 'forbidden', reason: `this token may not dispatch program ${programId}` };
  const gridEventId = gridEventIdOf(caller.utility, d.dispatchId);
  const existing = await ports.gridEvents.get(gridEventId);
  if (existing && (existing.cancelled || !d.cancelled)) {
    if (awaitsAnnouncement(existing)) await announceEvent(existing, ports);
    return { status: 'duplicate', gridEventId };
  }

  // Later than what is stored, so the store's forward-only condition accepts a cancellation in the same millisecond.
  const modifiedAt = new Date(Math.max(now.getTime(), existing ? Date.parse(existing.modifiedAt) + 1 : 0)).toISOString();
  // To the millisecond: rounded to whole seconds, a window under half a second became PT0S, an event
  // stored and announced that asks nothing of anyone.
  const durationS = (Date.parse(d.end) - Date.parse(d.start)) / 1000;
  const change = await ports.gridEvents.upsert({
    gridEventId,
    programId,
    modifiedAt,
    cancelled: d.cancelled,
    receivedAt: now.toISOString(),
    event: {
      id: gridEventId,
      programID: programId,
      modificationDateTime: modifiedAt,
      ...(d.targets ? { targets: d.targets } : {}),
      intervalPeriod: { start: d.start, duration: `PT${durationS}S` },
      intervals: [{ id: 0, payloads: [{ type: 'IMPORT_CAPACITY_LIMIT', values: [d.kW] }] }],
    },
  });
  if (change === 'unchanged') return { status: 'duplicate', gridEventId };
  await announceEvent({ gridEventId, programId, modifiedAt, cancelled: d.cancelled }, ports);
  return { status: 'stored', gridEventId, change };
}
