import { afterEach, describe, expect, it, vi } from 'vitest';
import { command } from '../../../cli/commands/prices.ts';
import { main } from '../../../cli/main.ts';
import { fixturePath } from '../../support/fixtures.ts';

const printed = () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  return { out: () => log.mock.calls.map((c) => c.join(' ')).join('\n'), err: () => error.mock.calls.map((c) => c.join(' ')).join('\n') };
};

afterEach(() => vi.restoreAllMocks());

describe('hearth prices parse', () => {
  it.each([
    ['entsoe', 'entsoe/BE_60M.xml', [], 'BE', 'EUR', 60, 24],
    ['entsoe', 'entsoe/BE_60M_15M_mix.xml', ['--resolution', '15'], 'BE', 'EUR', 15, 192],
    ['nordpool', 'nordpool/indices_15.json', [], 'SE3', 'SEK', 15, 96],
    ['nordpool', 'nordpool/delivery_period_nl.json', ['--zone', 'NL'], 'NL', 'EUR', 60, 24],
    ['awattar', 'awattar/awattar.json', [], 'AT', 'EUR', 60, 24],
    ['octopus', 'octopus/octopus_agile.json', ['--zone', 'GB-C'], 'GB-C', 'GBP', 30, 145],
    ['energidataservice', 'energidataservice/DK2-2023-10-28_2023-10-29.csv', [], 'DK2', 'EUR', 60, 49],
    ['ercot', 'ercot/ERCOT-HB_HUBAVG-2022-11-06.csv', [], 'ERCOT', 'USD', 60, 25],
    ['caiso', 'caiso/CAISO-TH_NP15_GEN-APND-2022-03-13.csv', [], 'CAISO', 'USD', 60, 23],
  ])('--source %s %s', async (source, file, extra, zone, currency, resolutionMinutes, count) => {
    const io = printed();
    expect(await command.run(['parse', '--source', source, ...extra, fixturePath(file)])).toBe(0);
    const doc = JSON.parse(io.out());
    expect(Object.keys(doc)).toEqual(['zone', 'currency', 'unit', 'resolutionMinutes', 'points']);
    expect(doc).toMatchObject({ zone, currency, unit: 'MWh', resolutionMinutes });
    expect(doc.points).toHaveLength(count);
  });

  it.each([
    [['parse', '--source', 'entsoe', fixturePath('entsoe/BE_60M_15M_mix.xml')], 'holds 2 series (BE 15-minute, BE 60-minute); pick one with --resolution'],
    [['parse', '--source', 'ercot', fixturePath('caiso/CAISO-TH_NP15_GEN-APND-2022-03-13.csv')], 'ERCOT DAM price CSV: line 2 Datetime "2022-03-13 08:00:00" has no UTC offset'],
    [['parse', '--source', 'nordpool', fixturePath('entsoe/BE_60M.xml')], 'Nord Pool Data Portal JSON did not answer JSON'],
    [['parse', '--source', 'entsoe', '--resolution', '5', fixturePath('entsoe/BE_60M.xml')], '--resolution must be 15, 30 or 60; got "5"'],
    [['parse', '--source', 'epex', fixturePath('entsoe/BE_60M.xml')], '--source must be one of entsoe, energidataservice, nordpool, awattar, octopus, ercot, caiso'],
    [['parse', '--source', 'entsoe', '/no/such/file.xml'], 'cannot read /no/such/file.xml'],
  ])('exits 2 naming the source and position: %j', async (argv, message) => {
    const io = printed();
    expect(await main(['prices', ...argv])).toBe(2);
    expect(io.err()).toContain(`hearth prices: `);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });
});
