import type { OpenAdrEvent } from '../../../schemas/openadr.ts';
import { BASELINE_DEFAULTS, BASELINE_METHOD, baselineReadWindows, deviceBaseline, type BaselineOptions, type DeviceBaseline } from './baseline.ts';
import { durationText } from './duration-text.ts';
import { isComplete, measureEnergy, type MeasuredEnergy, type PowerSample, type TimeWindow } from './measured-energy.ts';
import type { EventInterval, MeasuredPayload, ReportPlan, UsageRequest } from './report-request.ts';

/**
 * The OpenADR 3 report (a `reportRequest`, POST /reports) for one ended event: per resource (device id) or
 * summed (`AGGREGATED_REPORT`), per event interval,
 * - USAGE: kWh the heater drew, integrated from its telemetry (`measured-energy.ts`); never filled in,
 * - DATA_QUALITY of that USAGE: `OK` (telemetry covers the whole interval), `BAD` (part of it: the value is
 *   what was measured, an under-count), `MISSING` (none of it: no USAGE value),
 * - BASELINE: kWh the heater would have drawn without the event (`baseline.ts`, method documented there),
 *   with `X_BASELINE_DAYS`, the number of days averaged (fewer than 10 when history is short),
 * - DELTA_USAGE (when asked): USAGE − BASELINE, only where USAGE is complete and a baseline exists.
 * An aggregate sums every targeted device: its quality is OK only when each device's is; its BASELINE is
 * given only when every device has one, so actual and baseline always cover the same devices.
 */
export const AGGREGATED_REPORT = 'AGGREGATED_REPORT';
export const BASELINE_DAYS_PAYLOAD = 'X_BASELINE_DAYS';

export interface DeviceTelemetry {
  deviceId: string;
  /** IANA zone: the device's days and clock times for its baseline. */
  timeZone: string;
  /** Power samples over the windows `usageReadWindows` named, sorted by time. */
  samples: readonly PowerSample[];
}

export interface UsageReportInput {
  event: OpenAdrEvent & { id: string };
  plan: Extract<ReportPlan, { kind: 'report' }>;
  clientName: string;
  devices: readonly DeviceTelemetry[];
  /** Other events of the same program, not cancelled: their days are no baseline days. */
  programEvents: readonly TimeWindow[];
  options?: Partial<BaselineOptions>;
}

/** What was measured for one device, for logs and the VEN's own record. */
export interface DeviceUsageSummary {
  deviceId: string;
  usageKWh: number;
  intervalsComplete: number;
  intervalsPartial: number;
  intervalsMissing: number;
  baselineKWh?: number;
  baselineDays: number;
  adjustmentRatio: number;
  adjustmentCapped: boolean;
  adjustmentNote?: string;
}

export interface UsageReportSummary {
  eventId: string;
  baselineMethod: string;
  devices: DeviceUsageSummary[];
  /** The fewest baseline days any device had (devices without a baseline count 0). */
  fewestBaselineDays: number;
}

export interface UsageReport {
  body: Record<string, unknown>;
  summary: UsageReportSummary;
}

type Payload = { type: string; values: (number | string)[] };
type Quality = 'OK' | 'BAD' | 'MISSING';

interface DeviceFigures {
  deviceId: string;
  usage: MeasuredEnergy[];
  baseline: DeviceBaseline;
}

const KWH_DECIMALS = 1e6;
/** kWh to the milliwatt-hour: below any meter's resolution, and free of float noise in the JSON. */
const kWhValue = (kWh: number): number => Math.round(kWh * KWH_DECIMALS) / KWH_DECIMALS;

const qualityOf = (m: MeasuredEnergy): Quality => (isComplete(m) ? 'OK' : m.coveredMs > 0 ? 'BAD' : 'MISSING');

/** The telemetry windows one device's report needs (event day and candidate baseline days). */
export function usageReadWindows(plan: Extract<ReportPlan, { kind: 'report' }>, timeZone: string, programEvents: readonly TimeWindow[], options?: Partial<BaselineOptions>): TimeWindow[] {
  return baselineReadWindows({ intervals: plan.intervals, timeZone, programEvents, ...(options ? { options } : {}) });
}

function figuresOf(device: DeviceTelemetry, input: UsageReportInput): DeviceFigures {
  const { intervals } = input.plan;
  const o = { ...BASELINE_DEFAULTS, ...input.options };
  return {
    deviceId: device.deviceId,
    usage: intervals.map((w) => measureEnergy(device.samples, w, o.maxHoldMs)),
    baseline: deviceBaseline({ intervals, timeZone: device.timeZone, programEvents: input.programEvents, options: o }, device.samples),
  };
}

function devicePayloads(f: DeviceFigures, i: number, payloads: readonly MeasuredPayload[]): Payload[] {
  const out: Payload[] = [];
  const usage = f.usage[i]!;
  const baseline = f.baseline.intervalsKWh?.[i];
  if (payloads.includes('USAGE')) {
    if (usage.coveredMs > 0) out.push({ type: 'USAGE', values: [kWhValue(usage.kWh)] });
    out.push({ type: 'DATA_QUALITY', values: [qualityOf(usage)] });
  }
  if (payloads.includes('BASELINE') && baseline !== undefined) {
    out.push({ type: 'BASELINE', values: [kWhValue(baseline)] });
    out.push({ type: BASELINE_DAYS_PAYLOAD, values: [f.baseline.days.length] });
  }
  if (payloads.includes('DELTA_USAGE') && baseline !== undefined && isComplete(usage)) out.push({ type: 'DELTA_USAGE', values: [kWhValue(usage.kWh - baseline)] });
  return out;
}

function aggregatePayloads(figures: readonly DeviceFigures[], i: number, payloads: readonly MeasuredPayload[]): Payload[] {
  const out: Payload[] = [];
  const usages = figures.map((f) => f.usage[i]!);
  const qualities = usages.map(qualityOf);
  const quality: Quality = qualities.every((q) => q === 'OK') ? 'OK' : qualities.every((q) => q === 'MISSING') ? 'MISSING' : 'BAD';
  const usageKWh = usages.reduce((s, m) => s + m.kWh, 0);
  const baselines = figures.map((f) => f.baseline.intervalsKWh?.[i]);
  const baselineKWh = baselines.every((b) => b !== undefined) ? (baselines as number[]).reduce((s, b) => s + b, 0) : undefined;
  if (payloads.includes('USAGE')) {
    if (quality !== 'MISSING') out.push({ type: 'USAGE', values: [kWhValue(usageKWh)] });
    out.push({ type: 'DATA_QUALITY', values: [quality] });
  }
  if (payloads.includes('BASELINE') && baselineKWh !== undefined) out.push({ type: 'BASELINE', values: [kWhValue(baselineKWh)] });
  if (payloads.includes('DELTA_USAGE') && baselineKWh !== undefined && quality === 'OK') out.push({ type: 'DELTA_USAGE', values: [kWhValue(usageKWh - baselineKWh)] });
  return out;
}

/** resourceName → interval id → payloads, merged over every request (a payload type once per interval). */
type ResourceTable = Map<string, Map<number, { interval: EventInterval; payloads: Map<string, Payload> }>>;

function addPayloads(table: ResourceTable, resourceName: string, interval: EventInterval, payloads: readonly Payload[]): void {
  let intervals = table.get(resourceName);
  if (!intervals) table.set(resourceName, (intervals = new Map()));
  let row = intervals.get(interval.id);
  if (!row) intervals.set(interval.id, (row = { interval, payloads: new Map() }));
  for (const p of payloads) if (!row.payloads.has(p.type)) row.payloads.set(p.type, p);
}

function fill(table: ResourceTable, request: UsageRequest, all: readonly DeviceFigures[], intervals: readonly EventInterval[]): void {
  const wanted = request.resourceTargets.length ? all.filter((f) => request.resourceTargets.includes(f.deviceId)) : all;
  for (const i of request.intervalIndexes) {
    const interval = intervals[i]!;
    if (request.aggregate) {
      if (wanted.length) addPayloads(table, AGGREGATED_REPORT, interval, aggregatePayloads(wanted, i, request.payloads));
    } else for (const f of wanted) addPayloads(table, f.deviceId, interval, devicePayloads(f, i, request.payloads));
  }
}

const DESCRIPTORS: Record<string, Record<string, unknown>> = {
  USAGE: { readingType: 'DIRECT_READ', units: 'KWH' },
  DATA_QUALITY: {},
  BASELINE: { readingType: 'ESTIMATED', units: 'KWH' },
  [BASELINE_DAYS_PAYLOAD]: {},
  DELTA_USAGE: { readingType: 'ESTIMATED', units: 'KWH' },
};

function summaryOf(f: DeviceFigures): DeviceUsageSummary {
  const qualities = f.usage.map(qualityOf);
  return {
    deviceId: f.deviceId,
    usageKWh: kWhValue(f.usage.reduce((s, m) => s + m.kWh, 0)),
    intervalsComplete: qualities.filter((q) => q === 'OK').length,
    intervalsPartial: qualities.filter((q) => q === 'BAD').length,
    intervalsMissing: qualities.filter((q) => q === 'MISSING').length,
    ...(f.baseline.intervalsKWh ? { baselineKWh: kWhValue(f.baseline.intervalsKWh.reduce((s, b) => s + b, 0)) } : {}),
    baselineDays: f.baseline.days.length,
    adjustmentRatio: f.baseline.adjustment.ratio,
    adjustmentCapped: f.baseline.adjustment.capped,
    ...(f.baseline.adjustment.note ? { adjustmentNote: f.baseline.adjustment.note } : {}),
  };
}

/** The report body and what it rests on. Pure: the caller read each device's telemetry over `usageReadWindows`. */
export function buildUsageReport(input: UsageReportInput): UsageReport {
  const { plan, event } = input;
  const figures = input.devices.map((d) => figuresOf(d, input));
  const table: ResourceTable = new Map();
  for (const request of plan.requests) fill(table, request, figures, plan.intervals);

  const types = new Set<string>();
  const resources = [...table.entries()].map(([resourceName, intervals]) => ({
    resourceName,
    intervals: [...intervals.values()].map(({ interval, payloads }) => {
      for (const t of payloads.keys()) types.add(t);
      return {
        id: interval.id,
        intervalPeriod: { start: new Date(interval.startMs).toISOString(), duration: durationText(interval.endMs - interval.startMs) },
        payloads: [...payloads.values()],
      };
    }),
  }));
  const days = { ...BASELINE_DEFAULTS, ...input.options }.days;
  const fewestBaselineDays = figures.length ? Math.min(...figures.map((f) => f.baseline.days.length)) : 0;
  const body = {
    objectType: 'REPORT',
    eventID: event.id,
    clientName: input.clientName,
    reportName: `usage ${event.id}: baseline ${BASELINE_METHOD} (±${Math.round((input.options?.adjustmentCap ?? BASELINE_DEFAULTS.adjustmentCap) * 100)} %), ${fewestBaselineDays} of ${days} days at fewest`,
    payloadDescriptors: Object.keys(DESCRIPTORS)
      .filter((t) => types.has(t))
      .map((payloadType) => ({ objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType, ...DESCRIPTORS[payloadType] })),
    resources,
  };
  return { body, summary: { eventId: event.id, baselineMethod: BASELINE_METHOD, devices: figures.map(summaryOf), fewestBaselineDays } };
}
