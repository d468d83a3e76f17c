import { describe, expect, it } from 'vitest';
import { loadErcotCsv, parseErcot } from '../../../../functions/adapters/prices/ercot.ts';
import { fixture, gapsIn } from '../../../support/fixtures.ts';

const SPRING = fixture('ercot/ERCOT-HB_HUBAVG-2022-03-12_2022-03-13.csv');
const AUTUMN = fixture('ercot/ERCOT-HB_HUBAVG-2022-11-06.csv');
const NEGATIVE = fixture('ercot/ERCOT-HB_HUBAVG-2023-02-14.csv');

describe('ERCOT DAM price CSV (gridstatus layout)', () => {
  it('reads the spring DST day: 24 + 23 Central rows, contiguous in UTC, USD/MWh', () => {
    const [curve] = parseErcot(SPRING);
    expect(curve).toMatchObject({ source: 'ercot', zone: 'ERCOT', currency: 'USD', unit: 'MWh', resolutionMinutes: 60 });
    expect(curve!.points).toHaveLength(47);
    expect(gapsIn(curve!.points, 60)).toEqual([]);
    // 01:00 CST is 07:00Z; the next row, 03:00 CDT, is 08:00Z.
    expect(curve!.points.slice(25, 27)).toEqual([
      { start: '2022-03-13T07:00:00Z', price: 21.34 },
      { start: '2022-03-13T08:00:00Z', price: 21.44 },
    ]);
  });

  it('reads the autumn DST day: 01:00 twice (-05:00 then -06:00), 25 distinct UTC hours', () => {
    const [curve] = parseErcot(AUTUMN);
    expect(curve!.points).toHaveLength(25);
    expect(gapsIn(curve!.points, 60)).toEqual([]);
    expect(curve!.points.slice(1, 3)).toEqual([
      { start: '2022-11-06T06:00:00Z', price: 5.56 },
      { start: '2022-11-06T07:00:00Z', price: 6.1 },
    ]);
  });

  it('keeps a negative price and labels the curve with --zone', () => {
    const [curve] = parseErcot(NEGATIVE, { zone: 'ERCOT-HB_HUBAVG' });
    expect(curve!.zone).toBe('ERCOT-HB_HUBAVG');
    expect(curve!.points.find((p) => p.start === '2023-02-14T10:00:00Z')!.price).toBe(-0.07);
  });

  describe('refuses malformed files naming the line', () => {
    const lines = SPRING.trimEnd().split('\n');
    it.each([
      ['a naive stamp', [lines[0], lines[1]!.replace('-06:00', '')].join('\n'), /ERCOT DAM price CSV: line 2 Datetime "2022-03-12 00:00:00" has no UTC offset/],
      ['a gap', [...lines.slice(0, 10), ...lines.slice(11)].join('\n'), /ERCOT prices miss 60 minutes between line 10 \(2022-03-12T14:00:00Z\) and line 11 \(2022-03-12T16:00:00Z\)/],
      ['a repeated hour', [...lines, lines[5]].join('\n'), /line 6 and line 49 both give the ERCOT price/],
      ['a bad price', [lines[0], lines[1]!.replace(/,[^,]*$/, ',n/a')].join('\n'), /line 2 price is not a number: "n\/a"/],
      ['an empty price', [lines[0], lines[1]!.replace(/,[^,]*$/, ',')].join('\n'), /line 2 price is not a number: ""/],
      ['a wrong header', ['Time,Price', lines[1]].join('\n'), /line 1 is "Time,Price"; expected Datetime,Price \(<currency>\/MWh\)/],
      ['a third column', [lines[0], `${lines[1]},x`].join('\n'), /line 2 has 3 fields; expected 2/],
    ])('%s', (_name, text, message) => {
      expect(() => parseErcot(text)).toThrow(message);
    });
  });

  it('splits a year file at a hole for backtests and reports it', () => {
    const lines = SPRING.trimEnd().split('\n');
    const { curves, gaps } = loadErcotCsv([...lines.slice(0, 10), ...lines.slice(13)].join('\n'));
    expect(curves.map((c) => c.points.length)).toEqual([9, 35]);
    expect(gaps).toEqual([{ zone: 'ERCOT', from: '2022-03-12T15:00:00Z', to: '2022-03-12T18:00:00Z', after: 'line 10', before: 'line 11' }]);
  });
});
