import { describe, expect, it } from 'vitest';
import { nordPool, nordPoolUrl, parseNordPool } from '../../../../functions/adapters/prices/nordpool.ts';
import { fixture, gapsIn } from '../../../support/fixtures.ts';

const HOURLY = fixture('nordpool/delivery_period_nl.json');
const QUARTER = fixture('nordpool/indices_15.json');

type Entry = { deliveryStart: string; deliveryEnd: string; entryPerArea: Record<string, number | null> };
const edit = (text: string, change: (body: { multiAreaEntries: Entry[] } & Record<string, unknown>) => void): string => {
  const body = JSON.parse(text);
  change(body);
  return JSON.stringify(body);
};
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('Nord Pool Data Portal JSON', () => {
  it('reads the real DayAheadPrices answer (NL, hourly, EUR)', () => {
    const [curve, ...more] = parseNordPool(HOURLY);
    expect(more).toEqual([]);
    expect(curve).toMatchObject({ source: 'nordpool', zone: 'NL', currency: 'EUR', unit: 'MWh', resolutionMinutes: 60 });
    expect(curve!.points).toHaveLength(24);
    expect(curve!.points[0]).toEqual({ start: '2024-11-04T23:00:00Z', price: 83.63 });
    expect(curve!.points.at(-1)).toEqual({ start: '2024-11-05T22:00:00Z', price: 110.03 });
    expect(gapsIn(curve!.points, 60)).toEqual([]);
  });

  it('reads the real 15-minute DayAheadPriceIndices answer (SE3, SEK) on the first 15-minute delivery day', () => {
    const [curve] = parseNordPool(QUARTER);
    expect(curve).toMatchObject({ zone: 'SE3', currency: 'SEK', resolutionMinutes: 15 });
    expect(curve!.points).toHaveLength(96);
    expect(curve!.points[0]).toEqual({ start: '2025-09-30T22:00:00Z', price: 556.68 });
    expect(gapsIn(curve!.points, 15)).toEqual([]);
  });

  it('picks one zone of a multi-area answer and labels nothing it does not hold', () => {
    const twoAreas = edit(HOURLY, (b) => {
      b.deliveryAreas = ['NL', 'BE'];
      for (const e of b.multiAreaEntries) e.entryPerArea.BE = e.entryPerArea.NL! + 1;
    });
    expect(parseNordPool(twoAreas).map((c) => c.zone)).toEqual(['BE', 'NL']);
    expect(nordPool.parse(twoAreas, { zone: 'BE' })[0]!.points[0]!.price).toBe(84.63);
    expect(() => nordPool.parse(twoAreas, { zone: 'DE-LU' })).toThrow('Nord Pool Data Portal JSON holds no DE-LU prices; it holds BE 60-minute, NL 60-minute');
  });

  it('reads a 25-hour autumn delivery day and a negative price (derived from the real answer)', () => {
    // 2024-10-27 CET runs 2024-10-26T22:00Z … 2024-10-27T23:00Z: 25 UTC hours.
    const autumn = edit(HOURLY, (b) => {
      const template = b.multiAreaEntries;
      b.multiAreaEntries = Array.from({ length: 25 }, (_, h) => ({
        deliveryStart: iso(Date.parse('2024-10-26T22:00:00Z') + h * 3_600_000),
        deliveryEnd: iso(Date.parse('2024-10-26T23:00:00Z') + h * 3_600_000),
        entryPerArea: { NL: h === 13 ? -12.5 : template[h % 24]!.entryPerArea.NL! },
      }));
    });
    const [curve] = parseNordPool(autumn);
    expect(curve!.points).toHaveLength(25);
    expect(gapsIn(curve!.points, 60)).toEqual([]);
    expect(curve!.points[13]).toEqual({ start: '2024-10-27T11:00:00Z', price: -12.5 });
  });

  describe('refuses malformed answers naming the entry', () => {
    it.each([
      ['a gap (an entry left out)', edit(HOURLY, (b) => b.multiAreaEntries.splice(5, 1)), /NL prices miss 60 minutes between multiAreaEntries\[4\]\.entryPerArea\.NL \(2024-11-05T03:00:00Z\) and multiAreaEntries\[5\]\.entryPerArea\.NL \(2024-11-05T05:00:00Z\)/],
      ['a null price (a hole)', edit(HOURLY, (b) => (b.multiAreaEntries[7]!.entryPerArea.NL = null)), /NL prices miss 60 minutes between multiAreaEntries\[6\]/],
      ['a price that is a string', edit(HOURLY, (b) => ((b.multiAreaEntries[2]!.entryPerArea as Record<string, unknown>).NL = '90.68')), /multiAreaEntries\[2\] is invalid: entryPerArea\.NL: Invalid input/],
      ['a repeated entry', edit(HOURLY, (b) => b.multiAreaEntries.push(b.multiAreaEntries[3]!)), /multiAreaEntries\[3\]\.entryPerArea\.NL and multiAreaEntries\[24\]\.entryPerArea\.NL both give the NL price at 2024-11-05T02:00:00Z/],
      ['an odd interval', edit(HOURLY, (b) => (b.multiAreaEntries[0]!.deliveryEnd = '2024-11-04T23:20:00Z')), /multiAreaEntries\[0\] lasts 20 minutes; expected 15, 30 or 60/],
      ['no entries', edit(HOURLY, (b) => (b.multiAreaEntries = [])), /multiAreaEntries is empty/],
      ['an area without prices', edit(HOURLY, (b) => (b.deliveryAreas = ['NL', 'BE'])), /multiAreaEntries has no price for "BE"/],
      ['a runaway area name without prices', edit(HOURLY, (b) => (b.deliveryAreas = ['NL', 'x'.repeat(5000)])), /multiAreaEntries has no price for "x{60}"…$/],
      ['no currency', edit(HOURLY, (b) => delete b.currency), /Nord Pool Data Portal JSON is invalid: currency/],
      ['not JSON', HOURLY.slice(0, 300), /Nord Pool Data Portal JSON did not answer JSON/],
    ])('%s', (_name, text, message) => {
      expect(() => parseNordPool(text)).toThrow(message);
    });
  });

  it('fetches one request per CET delivery day, skips unpublished (204) days and cuts to the window', async () => {
    const asked: string[] = [];
    const fetchImpl = (async (url: string) => {
      asked.push(url);
      return url.includes('date=2024-11-05') ? new Response(HOURLY, { status: 200 }) : new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    const curve = await nordPool.fetch!({ zone: 'NL', from: new Date('2024-11-05T00:00:00Z'), to: new Date('2024-11-06T00:00:00Z') }, { timeoutMs: 1000, fetchImpl });
    expect(asked.sort()).toEqual([nordPoolUrl('https://dataportal-api.nordpoolgroup.com', 'NL', '2024-11-05', 'EUR'), nordPoolUrl('https://dataportal-api.nordpoolgroup.com', 'NL', '2024-11-06', 'EUR')]);
    expect(curve.points).toHaveLength(23);
    expect(curve.points[0]!.start).toBe('2024-11-05T00:00:00Z');
  });
});
