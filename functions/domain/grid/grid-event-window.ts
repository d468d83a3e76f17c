import { OpenAdrEvent } from '../../../schemas/openadr.ts';
import type { GridEventRecord } from '../../ports/stores.ts';
import { eventSchedule } from './event-schedule.ts';
import type { TimeWindow } from './measured-energy.ts';

/**
 * From the first interval's start to the last one's end (Infinity when open-ended), as the event stored it;
 * undefined for an event without intervals or one that no longer reads (stored before a schema change).
 */
export function storedEventWindow(record: GridEventRecord): TimeWindow | undefined {
  const event = OpenAdrEvent.safeParse(record.event);
  if (!event.success) return undefined;
  try {
    const { slots } = eventSchedule(event.data, new Date(record.receivedAt));
    if (slots.length === 0) return undefined;
    return {
      startMs: Math.min(...slots.map((s) => s.start.getTime())),
      endMs: Math.max(...slots.map((s) => (s.end ? s.end.getTime() : Infinity))),
    };
  } catch {
    return undefined;
  }
}
