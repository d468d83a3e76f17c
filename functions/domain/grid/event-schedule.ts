import type { OpenAdrEvent } from '../../../schemas/openadr.ts';
import { durationMs } from './iso-duration.ts';

/** One stretch of time with the values a utility asked for, by payload type (SIMPLE, PRICE, …). */
export interface DrSlot {
  start: Date;
  /** null: open-ended. */
  end: Date | null;
  values: Record<string, number>;
}

export interface DrSchedule {
  slots: DrSlot[];
  priority: number;
  /** Each device offsets its start by a random share of this, so a fleet does not step at one instant. */
  randomizeStartMs: number;
  targets: string[];
}

/** OpenADR's "now": a start of 0001-01-01 means the event applies from when it is received. */
const NOW_MARKER = /^0001-01-01/;
/** A lower number is a higher priority; an event without one comes after every prioritised one. */
const DEFAULT_PRIORITY = Number.MAX_SAFE_INTEGER;

function startOf(text: string | undefined, fallback: Date | undefined, receivedAt: Date, what: string): Date {
  if (text === undefined) {
    if (!fallback) throw new Error(`${what} has no start and the event gives none`);
    return fallback;
  }
  if (NOW_MARKER.test(text)) return receivedAt;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${what}.start "${text}" is not a date-time`);
  return new Date(ms);
}

/**
 * The time line an event describes. The event's `intervalPeriod` gives the default start and duration;
 * intervals without their own period follow one another from that start, each of the default duration; an
 * interval with its own period stands where it says. A payload with N values splits its interval into N equal
 * sub-intervals. Only numeric values are kept (a utility's strings and objects carry no quantity we act on).
 */
export function eventSchedule(event: OpenAdrEvent, receivedAt: Date): DrSchedule {
  const defaultStart = event.intervalPeriod?.start !== undefined ? startOf(event.intervalPeriod.start, undefined, receivedAt, 'event.intervalPeriod') : undefined;
  const defaultDurationMs = event.intervalPeriod?.duration !== undefined ? durationMs(event.intervalPeriod.duration) : undefined;
  const slots: DrSlot[] = [];
  let cursor = defaultStart;
  for (const [i, interval] of event.intervals.entries()) {
    const what = `intervals[${i}].intervalPeriod`;
    const start = startOf(interval.intervalPeriod?.start, cursor, receivedAt, what);
    const lengthMs = interval.intervalPeriod?.duration !== undefined ? durationMs(interval.intervalPeriod.duration) : defaultDurationMs;
    if (lengthMs === undefined) throw new Error(`${what} has no duration and the event gives none`);
    const end = Number.isFinite(lengthMs) ? new Date(start.getTime() + lengthMs) : null;
    const parts = Math.max(1, ...interval.payloads.map((p) => p.values.length));
    if (parts > 1 && !end) throw new Error(`${what}: an open-ended interval cannot be split into ${parts} values`);
    for (let k = 0; k < parts; k++) {
      const values: Record<string, number> = {};
      for (const payload of interval.payloads) {
        // A payload with fewer values than the longest holds its last one across the remaining parts.
        const v = payload.values[Math.min(k, payload.values.length - 1)];
        if (typeof v === 'number' && Number.isFinite(v)) values[payload.type] = v;
      }
      const partMs = end ? (end.getTime() - start.getTime()) / parts : 0;
      slots.push({
        start: new Date(start.getTime() + k * partMs),
        end: end ? new Date(start.getTime() + (k + 1) * partMs) : null,
        values,
      });
    }
    cursor = end ?? undefined;
  }
  const randomize = event.intervalPeriod?.randomizeStart;
  return {
    slots,
    priority: event.priority ?? DEFAULT_PRIORITY,
    randomizeStartMs: randomize ? durationMs(randomize) : 0,
    targets: (event.targets ?? []).filter((t): t is string => typeof t === 'string'),
  };
}
