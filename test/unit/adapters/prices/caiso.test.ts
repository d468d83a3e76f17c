import { describe, expect, it } from 'vitest';
import { loadCaisoCsv, parseCaiso } from '../../../../functions/adapters/prices/caiso.ts';
import { fixture, gapsIn } from '../../../support/fixtures.ts';

const SPRING = fixture('caiso/CAISO-TH_NP15_GEN-APND-2022-03-13.csv');
const AUTUMN = fixture('caiso/CAISO-TH_NP15_GEN-APND-2022-11-06.csv');
const NEGATIVE = fixture('caiso/CAISO-TH_NP15_GEN-APND-2022-03-06.csv');

describe('CAISO DAM LMP CSV (OASIS INTERVALSTARTTIME_GMT)', () => {
  it('reads naive stamps as UTC: the Pacific spring day is 23 consecutive rows', () => {
    const [curve] = parseCaiso(SPRING);
    expect(curve).toMatchObject({ source: 'caiso', zone: 'CAISO', currency: 'USD', unit: 'MWh', resolutionMinutes: 60 });
    expect(curve!.points).toHaveLength(23);
    // Midnight PST is 08:00Z; the last hour, 23:00 PDT, is 06:00Z the next day.
    expect(curve!.points[0]!.start).toBe('2022-03-13T08:00:00Z');
    expect(curve!.points.at(-1)!.start).toBe('2022-03-14T06:00:00Z');
    expect(gapsIn(curve!.points, 60)).toEqual([]);
  });

  it('reads the Pacific autumn day as 25 consecutive UTC hours', () => {
    const [curve] = parseCaiso(AUTUMN);
    expect(curve!.points).toHaveLength(25);
    expect(curve!.points[0]).toEqual({ start: '2022-11-06T07:00:00Z', price: 83.43028 });
    expect(gapsIn(curve!.points, 60)).toEqual([]);
  });

  it('keeps negative prices to their five decimals', () => {
    const [curve] = parseCaiso(NEGATIVE);
    expect(Math.min(...curve!.points.map((p) => p.price))).toBe(-2.95097);
  });

  describe('refuses malformed files naming the line', () => {
    const lines = SPRING.trimEnd().split('\n');
    it.each([
      ['an ERCOT-style stamp with offset', [lines[0], `${lines[1]!.split(',')[0]}-08:00,1.5`].join('\n'), /CAISO DAM LMP CSV: line 2 Datetime "2022-03-13 08:00:00-08:00" is not a zone-less UTC stamp/],
      ['a gap', [...lines.slice(0, 4), ...lines.slice(5)].join('\n'), /CAISO prices miss 60 minutes between line 4 \(2022-03-13T10:00:00Z\) and line 5 \(2022-03-13T12:00:00Z\)/],
      ['another market\'s file (EUR)', 'Datetime,Price (EUR/MWh)\n2022-01-03 00:00:00,0.31', /CAISO DAM LMP CSV: line 1 gives prices in EUR; this market's are in USD/],
      ['an impossible date', [lines[0], '2022-02-30 08:00:00,1'].join('\n'), /line 2 Datetime "2022-02-30 08:00:00" is not a zone-less UTC stamp/],
    ])('%s', (_name, text, message) => {
      expect(() => parseCaiso(text)).toThrow(message);
    });
  });

  it('splits at a hole when loading for backtests', () => {
    const lines = SPRING.trimEnd().split('\n');
    expect(loadCaisoCsv([...lines.slice(0, 4), ...lines.slice(5)].join('\n')).gaps).toEqual([
      { zone: 'CAISO', from: '2022-03-13T11:00:00Z', to: '2022-03-13T12:00:00Z', after: 'line 4', before: 'line 5' },
    ]);
  });
});
