import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PowerSample } from '../../../../functions/domain/grid/measured-energy.ts';
import { reportPlan, type ReportPlan } from '../../../../functions/domain/grid/report-request.ts';
import { AGGREGATED_REPORT, buildUsageReport, type DeviceTelemetry } from '../../../../functions/domain/grid/usage-report.ts';
import { OpenAdrEvent } from '../../../../schemas/openadr.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/openadr3/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
/** Spec example 8.3-2: two hourly PRICE intervals from 2023-02-10T00:00Z and a USAGE report request. */
const priceEvent = (extra: Record<string, unknown> = {}) => ({ ...OpenAdrEvent.parse({ ...fixture('event-price-with-usage-report-request.json'), ...extra }), id: 'evt-price' });
const START = Date.parse('2023-02-10T00:00:00Z');
const RECEIVED = new Date('2023-02-09T12:00:00Z');

/** A sample every 5 minutes over [fromMs, toMs), power by instant. */
function samples(fromMs: number, toMs: number, powerW: (t: number) => number): PowerSample[] {
  const out: PowerSample[] = [];
  for (let t = fromMs; t < toMs; t += 5 * MIN) out.push({ atMs: t, powerW: powerW(t) });
  return out;
}

/** 1 kW on every day before; on the event day 400 W then 600 W in the two event hours, 1 kW otherwise. */
const steady: DeviceTelemetry = {
  deviceId: 'h-1',
  timeZone: 'UTC',
  samples: samples(START - 22 * DAY, START + 2 * HOUR, (t) => (t >= START && t < START + HOUR ? 400 : t >= START + HOUR ? 600 : 1000)),
};
/** Reported only for the first 30 minutes of the event, at 1.2 kW, and never before. */
const patchy: DeviceTelemetry = { deviceId: 'h-2', timeZone: 'UTC', samples: samples(START, START + 30 * MIN, () => 1200) };

const planOf = (event: ReturnType<typeof priceEvent>, devices = ['h-1', 'h-2']): Extract<ReportPlan, { kind: 'report' }> => {
  const plan = reportPlan(event, RECEIVED, devices);
  if (plan.kind !== 'report') throw new Error(plan.reason);
  return plan;
};
const payloadsOf = (body: Record<string, unknown>, resourceName: string, intervalId: number) =>
  (body.resources as { resourceName: string; intervals: { id: number; payloads: { type: string; values: unknown[] }[] }[] }[])
    .find((r) => r.resourceName === resourceName)!
    .intervals.find((i) => i.id === intervalId)!
    .payloads.reduce<Record<string, unknown>>((m, p) => ({ ...m, [p.type]: p.values[0] }), {});

describe('what an event asks to be reported', () => {
  it('nothing without reportDescriptors, per the spec (programs describe reports, events ask for them)', () => {
    const plan = reportPlan(priceEvent({ reportDescriptors: undefined }), RECEIVED, ['h-1']);
    expect(plan).toMatchObject({ kind: 'none', reason: expect.stringMatching(/no reportDescriptors/) });
  });

  it('USAGE over every interval by default, with its BASELINE', () => {
    const plan = planOf(priceEvent());
    expect(plan.intervals).toEqual([
      { id: 0, startMs: START, endMs: START + HOUR },
      { id: 1, startMs: START + HOUR, endMs: START + 2 * HOUR },
    ]);
    expect(plan.requests).toEqual([{ payloads: ['USAGE', 'BASELINE'], aggregate: false, intervalIndexes: [0, 1], resourceTargets: [] }]);
  });

  it('reads startInterval/numIntervals, ignores forecasts and payloads telemetry cannot measure', () => {
    const event = priceEvent({
      reportDescriptors: [
        { payloadType: 'USAGE', startInterval: -1, numIntervals: 1 },
        { payloadType: 'DELTA_USAGE', startInterval: 0, numIntervals: 1, aggregate: true, targets: ['h-2', 'group-1'] },
        { payloadType: 'USAGE', historical: false },
        { payloadType: 'STORAGE_CHARGE_LEVEL' },
        { units: 'KWH' },
      ],
    });
    const plan = planOf(event);
    expect(plan.requests.map((r) => [r.payloads, r.intervalIndexes, r.aggregate, r.resourceTargets])).toEqual([
      [['USAGE', 'BASELINE'], [1], false, []],
      [['DELTA_USAGE'], [0], true, ['h-2']],
    ]);
    expect(plan.ignored).toEqual([
      'reportDescriptors[2]: USAGE forecasts are not reported',
      'reportDescriptors[3]: STORAGE_CHARGE_LEVEL is not measured by heater telemetry',
      expect.stringMatching(/^reportDescriptors\[4\]: payloadType/),
    ]);
    expect(reportPlan(priceEvent({ reportDescriptors: [{ payloadType: 'READING' }] }), RECEIVED, [])).toMatchObject({ kind: 'none' });
  });

  it('nothing for an open-ended event', () => {
    const event = priceEvent({ intervalPeriod: { start: '2023-02-10T00:00:00Z', duration: 'P9999Y' }, intervals: [{ id: 0, payloads: [{ type: 'PRICE', values: [0.17] }] }] });
    expect(reportPlan(event, RECEIVED, ['h-1'])).toMatchObject({ kind: 'none', reason: expect.stringMatching(/open-ended/) });
  });
});

describe('the usage report', () => {
  const event = priceEvent();
  const report = buildUsageReport({ event, plan: planOf(event), clientName: 'hearth-ven', devices: [steady, patchy], programEvents: [] });

  it('has the shape of the spec example (reportRequest: eventID, clientName, resources, payload descriptors typed)', () => {
    expect(report.body).toMatchObject({
      objectType: 'REPORT',
      eventID: 'evt-price',
      clientName: 'hearth-ven',
      reportName: expect.stringMatching(/10-of-10 with same-day adjustment \(±20 %\), 0 of 10 days at fewest/),
      payloadDescriptors: [
        { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'USAGE', readingType: 'DIRECT_READ', units: 'KWH' },
        { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'DATA_QUALITY' },
        { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'BASELINE', readingType: 'ESTIMATED', units: 'KWH' },
        { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'X_BASELINE_DAYS' },
      ],
    });
    const resources = report.body.resources as { resourceName: string; intervals: { id: number; intervalPeriod: unknown }[] }[];
    expect(resources.map((r) => r.resourceName)).toEqual(['h-1', 'h-2']);
    expect(resources[0]!.intervals.map((i) => [i.id, i.intervalPeriod])).toEqual([
      [0, { start: '2023-02-10T00:00:00.000Z', duration: 'PT1H' }],
      [1, { start: '2023-02-10T01:00:00.000Z', duration: 'PT1H' }],
    ]);
  });

  it('USAGE is the energy drawn, per interval and device; the baseline of 10 steady days is 1 kWh', () => {
    expect(payloadsOf(report.body, 'h-1', 0)).toEqual({ USAGE: 0.4, DATA_QUALITY: 'OK', BASELINE: 1, X_BASELINE_DAYS: 10 });
    expect(payloadsOf(report.body, 'h-1', 1)).toEqual({ USAGE: 0.6, DATA_QUALITY: 'OK', BASELINE: 1, X_BASELINE_DAYS: 10 });
  });

  it('flags what telemetry does not cover instead of filling it in: BAD with what was measured, MISSING without a value', () => {
    // 1.2 kW held from 00:00 to 00:25 + 15 min hold, at most: 00:40 → 0.8 kWh measured of the hour.
    expect(payloadsOf(report.body, 'h-2', 0)).toEqual({ USAGE: 0.8, DATA_QUALITY: 'BAD' });
    expect(payloadsOf(report.body, 'h-2', 1)).toEqual({ DATA_QUALITY: 'MISSING' });
    expect(report.summary.devices.map((d) => [d.deviceId, d.usageKWh, d.intervalsComplete, d.intervalsPartial, d.intervalsMissing, d.baselineDays])).toEqual([
      ['h-1', 1, 2, 0, 0, 10],
      ['h-2', 0.8, 0, 1, 1, 0],
    ]);
  });

  it('sums devices into AGGREGATED_REPORT, with a BASELINE only when every device has one', () => {
    const aggregated = priceEvent({ reportDescriptors: [{ payloadType: 'USAGE', aggregate: true }, { payloadType: 'DELTA_USAGE', aggregate: true }] });
    const both = buildUsageReport({ event: aggregated, plan: planOf(aggregated), clientName: 'c', devices: [steady, patchy], programEvents: [] });
    expect(payloadsOf(both.body, AGGREGATED_REPORT, 0)).toEqual({ USAGE: 1.2, DATA_QUALITY: 'BAD' });
    const one = buildUsageReport({ event: aggregated, plan: planOf(aggregated, ['h-1']), clientName: 'c', devices: [steady], programEvents: [] });
    expect(payloadsOf(one.body, AGGREGATED_REPORT, 1)).toEqual({ USAGE: 0.6, DATA_QUALITY: 'OK', BASELINE: 1, DELTA_USAGE: -0.4 });
  });
});
