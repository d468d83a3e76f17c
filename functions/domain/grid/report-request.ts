import * as z from 'zod';
import { explainIssues } from '../../../schemas/explain.ts';
import type { OpenAdrEvent } from '../../../schemas/openadr.ts';
import { eventSchedule } from './event-schedule.ts';
import type { TimeWindow } from './measured-energy.ts';

/**
 * What an event asks the VEN to report, read from its `reportDescriptors` (OpenADR 3.1 `reportDescriptor`,
 * defaults as the spec gives them). The spec's way for a VTN to ask a VEN for a report is an event's
 * reportDescriptors; a program's REPORT_PAYLOAD_DESCRIPTORs only describe reports (units, reading type), they
 * ask for none. So an event without reportDescriptors gets no report, whatever its program says.
 */
const ReportDescriptor = z.looseObject({
  payloadType: z.string().min(1).max(128),
  readingType: z.string().nullish(),
  units: z.string().nullish(),
  targets: z.array(z.unknown()).nullish(),
  aggregate: z.boolean().nullish(),
  startInterval: z.int().nullish(),
  numIntervals: z.int().nullish(),
  historical: z.boolean().nullish(),
  frequency: z.int().nullish(),
  repeat: z.int().nullish(),
  reportIntervals: z.string().nullish(),
});

/** Report payload types a heater's telemetry answers (OpenADR 3 report payload enumerations). */
export type MeasuredPayload = 'USAGE' | 'BASELINE' | 'DELTA_USAGE';
const MEASURED = new Set<string>(['USAGE', 'BASELINE', 'DELTA_USAGE']);

/** One event interval, by its id, as a stretch of time. */
export interface EventInterval extends TimeWindow {
  id: number;
}

/** One thing to report: these payloads, over these intervals, per device or summed. */
export interface UsageRequest {
  payloads: MeasuredPayload[];
  aggregate: boolean;
  /** Positions in the event's intervals. */
  intervalIndexes: number[];
  /** Devices the descriptor's targets name, when they name any of ours; otherwise every targeted device. */
  resourceTargets: string[];
}

export type ReportPlan =
  | { kind: 'report'; intervals: EventInterval[]; requests: UsageRequest[]; ignored: string[] }
  | { kind: 'none'; reason: string; ignored: string[] };

/**
 * The event's intervals as time windows, by id, one per interval whatever the number of values in its payloads
 * (a report speaks of the event's intervals, not of their sub-intervals). Null when the event never ends.
 */
export function eventIntervals(event: OpenAdrEvent, receivedAt: Date): EventInterval[] | null {
  const schedule = eventSchedule({ ...event, intervals: event.intervals.map((i) => ({ ...i, payloads: [] })) }, receivedAt);
  if (schedule.slots.some((s) => s.end === null)) return null;
  return schedule.slots.map((s, i) => ({ id: event.intervals[i]!.id, startMs: s.start.getTime(), endMs: s.end!.getTime() }));
}

/**
 * The intervals a descriptor covers. `startInterval` is the interval at whose end the report is due (−1: the
 * last); a historical report covers the `numIntervals` intervals up to and including it (−1: all of them).
 */
function coveredIndexes(count: number, startInterval: number, numIntervals: number): number[] {
  const last = startInterval < 0 ? count - 1 : Math.min(startInterval, count - 1);
  const first = numIntervals < 0 ? 0 : Math.max(0, last - numIntervals + 1);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

/**
 * What to report for an event, or why nothing. USAGE brings its BASELINE along: the report is how the
 * utility sees actual against baseline, and BASELINE is a spec payload type a VTN that did not ask for it
 * can ignore. Forecasts (`historical: false`) and payloads telemetry does not measure are listed as ignored.
 * Periodic reports (`repeat`, `frequency`) are answered by one report after the event covering the same
 * intervals: the VEN reports once an event has ended.
 */
export function reportPlan(event: OpenAdrEvent, receivedAt: Date, targetedDeviceIds: readonly string[]): ReportPlan {
  const ignored: string[] = [];
  const descriptors = event.reportDescriptors ?? [];
  if (descriptors.length === 0) return { kind: 'none', reason: 'the event has no reportDescriptors: it asks for no report', ignored };
  let intervals: EventInterval[] | null;
  try {
    intervals = eventIntervals(event, receivedAt);
  } catch (e) {
    return { kind: 'none', reason: `the event's time line does not read: ${(e as Error).message}`, ignored };
  }
  if (!intervals) return { kind: 'none', reason: 'the event is open-ended: it never ends, so there is nothing to report after it', ignored };
  if (intervals.length === 0) return { kind: 'none', reason: 'the event has no intervals', ignored };

  const ours = new Set(targetedDeviceIds);
  const requests: UsageRequest[] = [];
  descriptors.forEach((raw, i) => {
    const parsed = ReportDescriptor.safeParse(raw);
    if (!parsed.success) return void ignored.push(`reportDescriptors[${i}]: ${explainIssues(parsed.error)}`);
    const d = parsed.data;
    if (!MEASURED.has(d.payloadType)) return void ignored.push(`reportDescriptors[${i}]: ${d.payloadType} is not measured by heater telemetry`);
    if (d.historical === false) return void ignored.push(`reportDescriptors[${i}]: ${d.payloadType} forecasts are not reported`);
    const payload = d.payloadType as MeasuredPayload;
    const named = (d.targets ?? []).filter((t): t is string => typeof t === 'string' && ours.has(t));
    requests.push({
      payloads: payload === 'USAGE' ? ['USAGE', 'BASELINE'] : [payload],
      aggregate: d.aggregate ?? false,
      intervalIndexes: coveredIndexes(intervals.length, d.startInterval ?? -1, d.numIntervals ?? -1),
      resourceTargets: named,
    });
  });
  if (requests.length === 0) return { kind: 'none', reason: `no reportDescriptor asks for what heater telemetry measures (${ignored.join('; ')})`, ignored };
  return { kind: 'report', intervals, requests, ignored };
}
