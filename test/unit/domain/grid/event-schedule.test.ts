import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { directivesOf } from '../../../../functions/domain/grid/dr-directives.ts';
import { eventSchedule } from '../../../../functions/domain/grid/event-schedule.ts';
import { durationMs } from '../../../../functions/domain/grid/iso-duration.ts';
import { camelKey, normaliseNotification } from '../../../../functions/domain/grid/normalise-notification.ts';
import { OpenAdrEvent } from '../../../../schemas/openadr.ts';

const example = (name: string) => OpenAdrEvent.parse(JSON.parse(readFileSync(new URL(`../../../fixtures/openadr3/${name}`, import.meta.url), 'utf8')));
const RECEIVED = new Date('2026-11-24T17:00:00Z');
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('ISO-8601 durations', () => {
  it('reads the forms OpenADR uses, P9999Y as open-ended, and refuses others', () => {
    expect(durationMs('PT4H')).toBe(4 * 3_600_000);
    expect(durationMs('PT30M')).toBe(1_800_000);
    expect(durationMs('P1DT1H30M15S')).toBe(((24 + 1) * 60 + 30) * 60_000 + 15_000);
    expect(durationMs('P9999Y')).toBe(Infinity);
    for (const bad of ['4h', 'P', 'PT', 'P1H']) expect(() => durationMs(bad)).toThrow(/not an ISO-8601 duration/);
  });
});

describe('event schedule from the spec examples', () => {
  it('SIMPLE load shed: one 4 h slot at level 1, shedding the program default share', () => {
    const s = eventSchedule(example('event-simple-load-shed.json'), RECEIVED);
    expect(s.slots.map((x) => [iso(x.start), iso(x.end), x.values])).toEqual([['2025-03-14T00:00:00.000Z', '2025-03-14T04:00:00.000Z', { SIMPLE: 1 }]]);
    expect(directivesOf(s)[0]!.shedFraction).toBe(0.3);
    expect(directivesOf(s, { 0: 0, 1: 0.5 })[0]!.shedFraction).toBe(0.5);
  });

  it('capacity limits: consecutive intervals of the event duration, each a kW cap', () => {
    const d = directivesOf(eventSchedule(example('event-capacity-limit.json'), RECEIVED));
    expect(d.map((x) => [iso(x.start), iso(x.end), x.capKW])).toEqual([
      ['2023-02-10T00:00:00.000Z', '2023-02-10T00:30:00.000Z', 10],
      ['2023-02-10T00:30:00.000Z', '2023-02-10T01:00:00.000Z', 8],
    ]);
  });

  it('hourly prices become price adders, dispatch set-points caps, GHG a weight', () => {
    const prices = directivesOf(eventSchedule(example('event-price-with-usage-report-request.json'), RECEIVED));
    expect(prices[0]).toMatchObject({ priceAdderPerKWh: 0.17 });
    expect(prices[1]!.start.toISOString()).toBe('2023-02-10T01:00:00.000Z');
    const setpoint = directivesOf(eventSchedule(example('event-load-control-dispatch-setpoint.json'), RECEIVED));
    expect(setpoint[0]!.capKW).toBe(0);
    const ghg = directivesOf(eventSchedule(example('event-price-ghg.json'), RECEIVED));
    expect(ghg[0]!.ghgPerKWh).toBeDefined();
    expect(ghg[0]!.priceAdderPerKWh).toBeDefined();
  });

  it('start 0001-01-01 means now, P9999Y open-ended, N values N equal sub-intervals, randomizeStart kept', () => {
    const s = eventSchedule(
      OpenAdrEvent.parse({
        programID: 'p',
        intervalPeriod: { start: '0001-01-01T00:00:00Z', duration: 'PT1H', randomizeStart: 'PT5M' },
        priority: 2,
        targets: ['feeder-7'],
        intervals: [
          { id: 0, payloads: [{ type: 'IMPORT_CAPACITY_LIMIT', values: [30, 20, 10, 5] }] },
          { id: 1, intervalPeriod: { duration: 'P9999Y' }, payloads: [{ type: 'SIMPLE', values: [2] }] },
        ],
      }),
      RECEIVED,
    );
    expect(s.slots.map((x) => [iso(x.start), iso(x.end), x.values])).toEqual([
      ['2026-11-24T17:00:00.000Z', '2026-11-24T17:15:00.000Z', { IMPORT_CAPACITY_LIMIT: 30 }],
      ['2026-11-24T17:15:00.000Z', '2026-11-24T17:30:00.000Z', { IMPORT_CAPACITY_LIMIT: 20 }],
      ['2026-11-24T17:30:00.000Z', '2026-11-24T17:45:00.000Z', { IMPORT_CAPACITY_LIMIT: 10 }],
      ['2026-11-24T17:45:00.000Z', '2026-11-24T18:00:00.000Z', { IMPORT_CAPACITY_LIMIT: 5 }],
      ['2026-11-24T18:00:00.000Z', null, { SIMPLE: 2 }],
    ]);
    expect(s).toMatchObject({ priority: 2, randomizeStartMs: 300_000, targets: ['feeder-7'] });
  });

  it('refuses a time line it cannot place and a SIMPLE level the program does not define', () => {
    expect(() => eventSchedule(OpenAdrEvent.parse({ programID: 'p', intervals: [{ id: 0, payloads: [] }] }), RECEIVED)).toThrow(/no start/);
    const noDuration = OpenAdrEvent.parse({ programID: 'p', intervalPeriod: { start: '2026-01-01T00:00:00Z' }, intervals: [{ id: 0, payloads: [] }] });
    expect(() => eventSchedule(noDuration, RECEIVED)).toThrow(/no duration/);
    const level9 = OpenAdrEvent.parse({ programID: 'p', intervalPeriod: { start: '2026-01-01T00:00:00Z', duration: 'PT1H' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [9] }] }] });
    expect(() => directivesOf(eventSchedule(level9, RECEIVED))).toThrow(/SIMPLE level 9/);
  });
});

describe('notifications as a reference VTN sends them', () => {
  it('snake_case keys, nulls and space-separated UTC timestamps become the spec shape', () => {
    expect(camelKey('program_id')).toBe('programID');
    expect(camelKey('interval_period')).toBe('intervalPeriod');
    expect(camelKey('modification_date_time')).toBe('modificationDateTime');
    expect(camelKey('programID')).toBe('programID');
    const raw = {
      object_type: 'EVENT',
      operation: 'CREATE',
      object: {
        id: 'e1',
        created_date_time: '2026-11-24 17:32:55',
        modification_date_time: '2026-11-24 17:32:55',
        program_id: 'p1',
        event_name: null,
        priority: null,
        targets: null,
        interval_period: { start: '2026-11-25 16:00:00', duration: 'PT2H', randomize_start: null },
        intervals: [{ id: 0, interval_period: null, payloads: [{ type: 'SIMPLE', values: [1] }] }],
      },
    };
    expect(normaliseNotification(raw)).toEqual({
      objectType: 'EVENT',
      operation: 'CREATE',
      object: {
        id: 'e1',
        createdDateTime: '2026-11-24T17:32:55Z',
        modificationDateTime: '2026-11-24T17:32:55Z',
        programID: 'p1',
        intervalPeriod: { start: '2026-11-25T16:00:00Z', duration: 'PT2H' },
        intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }],
      },
    });
  });
});
