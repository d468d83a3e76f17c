import { describe, expect, it } from 'vitest';
import { loadDeLuCsv } from '../../../../functions/adapters/prices/de-lu-green-dcc.ts';
import { fixture, gapsIn } from '../../../support/fixtures.ts';

describe('DE-LU green-dcc price CSV (naive Europe/Berlin, 24 rows every day)', () => {
  it('drops the spring 02:00 row, which repeats 03:00: 23 hours, contiguous in UTC', () => {
    const { curves, gaps, notes } = loadDeLuCsv(fixture('de-lu/DE-LU-2022-03-27.csv'));
    expect(gaps).toEqual([]);
    expect(curves).toHaveLength(1);
    expect(curves[0]).toMatchObject({ source: 'green-dcc', zone: 'DE-LU', currency: 'EUR', resolutionMinutes: 60 });
    expect(curves[0]!.points).toHaveLength(23);
    expect(gapsIn(curves[0]!.points, 60)).toEqual([]);
    // 01:00 CET is 00:00Z, 03:00 CEST is 01:00Z.
    expect(curves[0]!.points.slice(1, 3)).toEqual([
      { start: '2022-03-27T00:00:00Z', price: 221.93 },
      { start: '2022-03-27T01:00:00Z', price: 214.02 },
    ]);
    expect(notes).toEqual(['2022-03-27 02:00 does not exist in Europe/Berlin (clocks jump forward): line 4 (214.02) repeats the next hour and was dropped']);
  });

  it('uses the single autumn 02:00 row for both 02:00 hours: 25 hours, noted', () => {
    const { curves, notes } = loadDeLuCsv(fixture('de-lu/DE-LU-2022-10-30.csv'));
    expect(curves[0]!.points).toHaveLength(25);
    expect(gapsIn(curves[0]!.points, 60)).toEqual([]);
    expect(curves[0]!.points.slice(2, 4)).toEqual([
      { start: '2022-10-30T00:00:00Z', price: 100.06 },
      { start: '2022-10-30T01:00:00Z', price: 100.06 },
    ]);
    expect(notes).toEqual(['2022-10-30 02:00 happens twice in Europe/Berlin (clocks go back): line 4 is the only row, its price 100.06 was used for both hours']);
  });

  it('splits at the missing 2022-09-03 and reports it', () => {
    const { curves, gaps, notes } = loadDeLuCsv(fixture('de-lu/DE-LU-2022-09-02_2022-09-04.csv'));
    expect(curves.map((c) => [c.points[0]!.start, c.points.length])).toEqual([
      ['2022-09-01T22:00:00Z', 24],
      ['2022-09-03T22:00:00Z', 24],
    ]);
    expect(gaps).toEqual([{ zone: 'DE-LU', from: '2022-09-02T22:00:00Z', to: '2022-09-03T22:00:00Z', after: 'line 25', before: 'line 26' }]);
    expect(notes).toEqual(['no DE-LU prices from 2022-09-02T22:00:00Z to 2022-09-03T22:00:00Z (between line 25 and line 26)']);
  });

  it('keeps negative prices', () => {
    const { curves } = loadDeLuCsv(fixture('de-lu/DE-LU-2022-01-03.csv'));
    expect(curves[0]!.points.slice(1, 5).map((p) => p.price)).toEqual([-0.01, -0.07, -1.05, -1]);
  });

  it('refuses a stamp with an offset and a wall time listed more often than the clock shows it', () => {
    expect(() => loadDeLuCsv('Datetime,Price (EUR/MWh)\n2022-01-03 00:00:00+01:00,1')).toThrow('line 2 Datetime "2022-01-03 00:00:00+01:00" is not a zone-less local stamp');
    expect(() => loadDeLuCsv('Datetime,Price (EUR/MWh)\n2022-01-03 00:00:00,1\n2022-01-03 00:00:00,2')).toThrow('lines 2, 3 all give 2022-01-03 00:00, which Europe/Berlin shows once');
  });
});
