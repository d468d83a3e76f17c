import { describe, expect, it } from 'vitest';
import { awattar, parseAwattar } from '../../../../functions/adapters/prices/awattar.ts';
import { fixture, gapsIn } from '../../../support/fixtures.ts';

const REAL = fixture('awattar/awattar.json');
type Entry = { start_timestamp: number; end_timestamp: number; marketprice: number; unit: string };
const edit = (change: (data: Entry[]) => Entry[] | void): string => {
  const body = JSON.parse(REAL) as { data: Entry[] };
  body.data = change(body.data) ?? body.data;
  return JSON.stringify(body);
};
const H = 3_600_000;

describe('aWATTar marketdata JSON', () => {
  it('reads the real Austrian answer: 24 hours from epoch milliseconds, EUR/MWh', () => {
    const [curve] = parseAwattar(REAL);
    expect(curve).toMatchObject({ source: 'awattar', zone: 'AT', currency: 'EUR', unit: 'MWh', resolutionMinutes: 60 });
    expect(curve!.points).toHaveLength(24);
    expect(curve!.points[0]).toEqual({ start: '2024-12-15T23:00:00Z', price: 81.5 });
    expect(gapsIn(curve!.points, 60)).toEqual([]);
    expect(awattar.parse(REAL, { zone: 'DE' })[0]!.zone).toBe('DE');
  });

  it('reads a 23-hour spring day with a negative price and a 15-minute answer (derived from the real one)', () => {
    // 2025-03-30 in Vienna runs 2025-03-29T23:00Z … 2025-03-30T22:00Z: 23 UTC hours.
    const spring = edit((data) =>
      Array.from({ length: 23 }, (_, h) => ({ ...data[h]!, start_timestamp: Date.parse('2025-03-29T23:00:00Z') + h * H, end_timestamp: Date.parse('2025-03-30T00:00:00Z') + h * H, marketprice: h === 12 ? -4.02 : data[h]!.marketprice })),
    );
    const [curve] = parseAwattar(spring);
    expect(curve!.points).toHaveLength(23);
    expect(curve!.points[12]).toEqual({ start: '2025-03-30T11:00:00Z', price: -4.02 });
    const quarters = edit((data) => data.flatMap((e) => [0, 1, 2, 3].map((k) => ({ ...e, start_timestamp: e.start_timestamp + k * 900_000, end_timestamp: e.start_timestamp + (k + 1) * 900_000 }))));
    expect(parseAwattar(quarters)[0]).toMatchObject({ resolutionMinutes: 15 });
    expect(parseAwattar(quarters)[0]!.points).toHaveLength(96);
  });

  describe('refuses malformed answers naming the entry', () => {
    it.each([
      ['a gap', edit((d) => void d.splice(10, 1)), /AT prices miss 60 minutes between data\[9\] \(2024-12-16T08:00:00Z\) and data\[10\] \(2024-12-16T10:00:00Z\)/],
      ['another unit', edit((d) => void (d[3]!.unit = 'Eur/kWh')), /data\[3\] unit "Eur\/kWh" is not <currency>\/MWh/],
      ['mixed lengths', edit((d) => void (d[3]!.end_timestamp -= 45 * 60_000)), /data\[3\] lasts 15 minutes, earlier entries 60/],
      ['a missing price', edit((d) => void delete (d[4] as Partial<Entry>).marketprice), /data\[4\] is invalid: marketprice/],
      ['no data', edit(() => []), /holds no prices/],
      ['another envelope', '{"data":[]}', /aWATTar marketdata JSON is invalid: object/],
    ])('%s', (_name, text, message) => {
      expect(() => parseAwattar(text)).toThrow(message);
    });
  });

  it('fetches from the country\'s host with epoch-millisecond bounds', async () => {
    const asked: string[] = [];
    const fetchImpl = (async (url: string) => {
      asked.push(url);
      return new Response(REAL, { status: 200 });
    }) as unknown as typeof fetch;
    const curve = await awattar.fetch!({ zone: 'AT', from: new Date('2024-12-16T00:00:00Z'), to: new Date('2024-12-17T00:00:00Z') }, { timeoutMs: 1000, fetchImpl });
    expect(asked).toEqual(['https://api.awattar.at/v1/marketdata?start=1734307200000&end=1734393600000']);
    expect(curve.points).toHaveLength(23);
    await expect(awattar.fetch!({ zone: 'FR', from: new Date(), to: new Date() }, { timeoutMs: 1 })).rejects.toThrow('aWATTar has no API for zone FR');
  });
});
