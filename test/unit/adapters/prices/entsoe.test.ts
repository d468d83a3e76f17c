import { describe, expect, it } from 'vitest';
import { entsoe, entsoeUrl, parseEntsoe } from '../../../../functions/adapters/prices/entsoe.ts';
import { fixture, gapsIn } from '../../../support/fixtures.ts';

const HOURLY = fixture('entsoe/BE_60M.xml');
const MIXED = fixture('entsoe/BE_60M_15M_mix.xml');

/** The real hourly document moved to the autumn DST day of 2024 (25 hours) with a 25th point: derived, not published. */
const AUTUMN = HOURLY.replaceAll('2024-10-07T22:00Z', '2024-10-26T22:00Z')
  .replaceAll('2024-10-08T22:00Z', '2024-10-27T23:00Z')
  .replace('</Period>', '  <Point>\n                <position>25</position>\n                 <price.amount>-3.5</price.amount>\n              </Point>\n          </Period>');

describe('ENTSO-E A44 XML', () => {
  it('reads the real hourly Belgian document: 24 UTC hours, EUR/MWh', () => {
    const [curve, ...more] = parseEntsoe(HOURLY);
    expect(more).toEqual([]);
    expect(curve).toMatchObject({ source: 'entsoe', zone: 'BE', currency: 'EUR', unit: 'MWh', resolutionMinutes: 60 });
    expect(curve!.points).toHaveLength(24);
    expect(curve!.points[0]).toEqual({ start: '2024-10-07T22:00:00Z', price: 64.98 });
    expect(curve!.points.at(-1)).toEqual({ start: '2024-10-08T21:00:00Z', price: 50 });
    expect(gapsIn(curve!.points, 60)).toEqual([]);
  });

  it('splits the real mixed document into a 15-minute and a 60-minute curve and forward-fills A03', () => {
    const curves = parseEntsoe(MIXED);
    expect(curves.map((c) => [c.zone, c.resolutionMinutes, c.points.length])).toEqual([
      ['BE', 15, 2 * 96],
      ['BE', 60, 24],
    ]);
    const quarter = curves[0]!;
    expect(gapsIn(quarter.points, 15)).toEqual([]);
    // Positions 1, 5, 9 … are listed: 2, 3, 4 repeat position 1's price.
    expect(quarter.points.slice(0, 5).map((p) => p.price)).toEqual([55.35, 55.35, 55.35, 55.35, 44.22]);
    // Position 57 is left out after 53 (−0.01) and before 61: eight quarters at the negative price.
    const negative = quarter.points.filter((p) => p.price === -0.01).map((p) => p.start);
    expect(negative).toEqual(Array.from({ length: 8 }, (_, k) => new Date(Date.parse('2024-10-06T11:00:00Z') + k * 900_000).toISOString().replace('.000', '')));
    // The last listed position (93) holds to the end of the period (96).
    expect(quarter.points.slice(92, 96).map((p) => p.price)).toEqual([52.33, 52.33, 52.33, 52.33]);
  });

  it('picks by resolution and by zone (EIC or name), and says what the document holds otherwise', () => {
    expect(entsoe.parse(MIXED, { resolution: 60 }).map((c) => c.points[0]!.start)).toEqual(['2024-10-07T22:00:00Z']);
    expect(entsoe.parse(MIXED, { zone: 'BE', resolution: 15 })).toHaveLength(1);
    expect(() => entsoe.parse(MIXED, { zone: 'NL' })).toThrow('ENTSO-E A44 XML holds no NL prices; it holds BE 15-minute, BE 60-minute');
    expect(() => entsoe.parse(HOURLY, { resolution: 15 })).toThrow('holds no 15-minute prices; it holds BE 60-minute');
  });

  it('reads a daylight-saving day as 25 UTC hours from the period interval (derived from the real document)', () => {
    const [curve] = parseEntsoe(AUTUMN);
    expect(curve!.points).toHaveLength(25);
    expect(curve!.points.at(-1)).toEqual({ start: '2024-10-27T22:00:00Z', price: -3.5 });
    expect(gapsIn(curve!.points, 60)).toEqual([]);
  });

  it('reads an A01 document with every position listed, and refuses one with a gap', () => {
    const a01 = HOURLY.replace('<curveType>A03</curveType>', '<curveType>A01</curveType>');
    expect(parseEntsoe(a01)[0]!.points).toHaveLength(24);
    const gap = a01.replace(/\s*<Point>\s*<position>7<\/position>\s*<price.amount>[^<]*<\/price.amount>\s*<\/Point>/, '');
    expect(() => parseEntsoe(gap)).toThrow(/ENTSO-E A44 XML: TimeSeries 1 Period 1 misses positions 7…7 after line \d+ \(curve type A01/);
  });

  it('turns the API\'s acknowledgement ("no matching data") into an error with its reason', () => {
    const ack = `<?xml version="1.0" encoding="UTF-8"?>
<Acknowledgement_MarketDocument xmlns="urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:0">
  <mRID>1</mRID>
  <Reason><code>999</code><text>No matching data found for Data item Day-ahead Prices [12.1.D]</text></Reason>
</Acknowledgement_MarketDocument>`;
    expect(() => parseEntsoe(ack)).toThrow('ENTSO-E A44 XML: the API answered an acknowledgement instead of prices: 999 No matching data found');
  });

  describe('refuses malformed documents naming the position', () => {
    it.each([
      ['truncated XML', HOURLY.slice(0, 2000), /ENTSO-E A44 XML: line \d+, column \d+: <Point> \(line \d+\) is not closed|ENTSO-E A44 XML: line \d+, column \d+/],
      ['a price that is not a number', HOURLY.replace('<price.amount>57.86</price.amount>', '<price.amount>57,86</price.amount>'), /TimeSeries 1 Period 1 position 2 \(line 35\) price.amount is not a number: "57,86"/],
      ['a position beyond the interval', HOURLY.replace('<position>24</position>', '<position>25</position>'), /TimeSeries 1 Period 1 position 25 \(line \d+\) is outside 1…24/],
      ['positions out of order', HOURLY.replace('<position>3</position>', '<position>1</position>'), /TimeSeries 1 Period 1 position 1 \(line 39\) does not follow position 2/],
      ['a first position after 1', HOURLY.replace(/<Point>\s*<position>1<\/position>\s*<price.amount>64.98<\/price.amount>\s*<\/Point>/, ''), /starts at position 2: positions 1…1 have no price/],
      ['an unknown resolution', HOURLY.replace('PT60M', 'P1D'), /has resolution P1D; expected PT15M, PT30M or PT60M/],
      ['another unit', HOURLY.replace('<price_Measure_Unit.name>MWH', '<price_Measure_Unit.name>KWH'), /prices are per KWH; expected MWH/],
      ['another document type', HOURLY.replace('<type>A44</type>', '<type>A65</type>'), /document type A65 is not day-ahead prices \(A44\)/],
      ['another root', '<Foo/>', /the root element is <Foo>; expected Publication_MarketDocument/],
    ])('%s', (_name, text, message) => {
      expect(() => parseEntsoe(text)).toThrow(message);
    });
  });

  it('fetches with the token, maps the zone to its EIC and merges a mixed document at 15 minutes', async () => {
    const asked: string[] = [];
    const fetchImpl = (async (url: string) => {
      asked.push(url);
      return new Response(MIXED, { status: 200 });
    }) as unknown as typeof fetch;
    const curve = await entsoe.fetch!(
      { zone: 'BE', from: new Date('2024-10-06T00:00:00Z'), to: new Date('2024-10-08T12:00:00Z') },
      { timeoutMs: 1000, token: 'secret', fetchImpl },
    );
    expect(asked).toEqual([entsoeUrl('https://web-api.tp.entsoe.eu', '10YBE----------2', new Date('2024-10-06T00:00:00Z'), new Date('2024-10-08T12:00:00Z'), 'secret')]);
    expect(asked[0]).toContain('periodStart=202410060000&periodEnd=202410081200');
    expect(curve.resolutionMinutes).toBe(15);
    expect(curve.points).toHaveLength((60 * 60) / 15); // 60 h of quarters
    expect(gapsIn(curve.points, 15)).toEqual([]);
    // The hourly third day is split into quarters at its own price.
    expect(curve.points.filter((p) => p.start >= '2024-10-07T22:00:00Z').slice(0, 5).map((p) => p.price)).toEqual([64.98, 64.98, 64.98, 64.98, 57.86]);
    await expect(entsoe.fetch!({ zone: 'BE', from: new Date(), to: new Date() }, { timeoutMs: 1 })).rejects.toThrow('ENTSO-E needs a security token');
  });
});
