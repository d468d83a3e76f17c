import { describe, expect, it } from 'vitest';
import { loadMiningDays, parseBlockSubsidyCsv, parseBtcPriceCsv, parseDifficultyCsv } from '../../../../functions/adapters/bitcoin/mining-csv.ts';
import { fixture, fixturePath } from '../../../support/fixtures.ts';

describe('bitcoin network CSVs (synthetic files in the published layouts)', () => {
  it('joins difficulty, price and hash rate by UTC day and lists days one series lacks', async () => {
    const { days, missing } = await loadMiningDays({
      difficulty: fixturePath('bitcoin/difficulty-synthetic.csv'),
      btcPrice: fixturePath('bitcoin/btc-usd-synthetic.csv'),
      hashrate: fixturePath('bitcoin/hashrate-synthetic.csv'),
    });
    expect(days.map((d) => d.day)).toEqual(['2024-04-18', '2024-04-19', '2024-04-20', '2024-04-21']);
    expect(days[0]).toEqual({ day: '2024-04-18', difficulty: 8e13, btcPrice: 60_000, networkTHs: 6e8 });
    expect(missing).toEqual(['2024-04-22', '2024-04-23']);
  });

  it('reads the quoted, BOM-prefixed block-subsidy layout', () => {
    const subsidy = parseBlockSubsidyCsv(fixture('bitcoin/block-subsidy-synthetic.csv'));
    expect([...subsidy]).toEqual([
      ['2024-04-18', 900],
      ['2024-04-19', 900],
      ['2024-04-20', 450],
    ]);
  });

  it.each([
    ['a wrong header', 'Day,difficulty\n2024-01-01,1', /line 1 has no Date and difficulty columns/],
    ['a bad day', 'Date,difficulty\n2024-13-01,1', /line 2 Date is not a day: "2024-13-01"/],
    ['a repeated day', 'Date,difficulty\n2024-01-01,1\n2024-01-01,2', /line 3 gives 2024-01-01 a second time/],
    ['a negative value', 'Date,difficulty\n2024-01-01,-1', /line 2 difficulty is negative/],
    ['text for a number', 'Date,difficulty\n2024-01-01,abc', /line 2 difficulty is not a number: "abc"/],
  ])('refuses %s naming the line', (_name, text, message) => {
    expect(() => parseDifficultyCsv(text, 'difficulty.csv')).toThrow(message);
  });

  it('takes the close of the OHLC row', () => {
    expect(parseBtcPriceCsv('Date,Open,High,Low,Close,Volume\n2024-01-01,1,3,0.5,2,10').get('2024-01-01')).toBe(2);
  });
});
