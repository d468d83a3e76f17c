import { describe, expect, it } from 'vitest';
import { detectPriceFormat, loadPriceFile } from '../../../../functions/adapters/prices/load-price-file.ts';
import { fixture, fixturePath } from '../../../support/fixtures.ts';

describe('loadPriceFile', () => {
  it.each([
    ['entsoe/BE_60M.xml', 'entsoe-xml', 1],
    ['entsoe/BE_60M_15M_mix.xml', 'entsoe-xml', 2],
    ['nordpool/delivery_period_nl.json', 'nordpool-json', 1],
    ['nordpool/indices_15.json', 'nordpool-json', 1],
    ['awattar/awattar.json', 'awattar-json', 1],
    ['octopus/octopus_agile.json', 'octopus-json', 1],
    ['energidataservice/SE4-2023-01-02.csv', 'energidataservice-csv', 1],
    ['ercot/ERCOT-HB_HUBAVG-2022-11-06.csv', 'ercot-csv', 1],
    ['caiso/CAISO-TH_NP15_GEN-APND-2022-03-13.csv', 'caiso-csv', 1],
    ['de-lu/DE-LU-2022-09-02_2022-09-04.csv', 'de-lu-csv', 2],
  ])('detects and reads %s', async (path, format, curves) => {
    const loaded = await loadPriceFile(fixturePath(path));
    expect(loaded.format).toBe(format);
    expect(loaded.curves).toHaveLength(curves);
  });

  it('names the file in errors and refuses what it does not know', async () => {
    await expect(loadPriceFile(fixturePath('nws/points.json'))).rejects.toThrow('points.json: the document: a JSON document of no known price source');
    expect(() => detectPriceFormat('a,b\n1,2', 'x.csv')).toThrow('x.csv: not a price format Hearth reads (first line "a,b")');
  });

  it('passes the DE-LU notes on to the backtest', async () => {
    const { notes } = await loadPriceFile(fixturePath('de-lu/DE-LU-2022-10-30.csv'));
    expect(notes).toHaveLength(1);
    expect(fixture('de-lu/DE-LU-2022-10-30.csv').split('\n')[0]).toBe('Datetime,Price (EUR/MWh)');
  });
});
