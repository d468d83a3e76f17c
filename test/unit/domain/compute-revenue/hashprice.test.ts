import { describe, expect, it } from 'vitest';
import { blockSubsidyBtc, estimatedHeight, meanSubsidyBtc } from '../../../../functions/domain/compute-revenue/block-subsidy.ts';
import { bitcoinRevenueCurve, blocksPerDay, hashprice, revenuePerKWh } from '../../../../functions/domain/compute-revenue/hashprice.ts';
import { seededRandom } from '../../../../local/fleet/seeded-random.ts';
import { ComputeRevenueCurve } from '../../../../schemas/compute-revenue.ts';

const DAY = 86_400_000;

describe('block subsidy', () => {
  it('halves every 210,000 blocks in whole satoshis and ends after 64 halvings', () => {
    expect([0, 209_999, 210_000, 420_000, 630_000, 839_999, 840_000, 1_050_000].map(blockSubsidyBtc)).toEqual([50, 50, 25, 12.5, 6.25, 6.25, 3.125, 1.5625]);
    // 50 BTC / 2^33 rounds down to 0 satoshis; by the 64th halving the shift rule gives zero anyway.
    expect(blockSubsidyBtc(33 * 210_000)).toBe(0);
    expect(blockSubsidyBtc(64 * 210_000)).toBe(0);
    expect(() => blockSubsidyBtc(-1)).toThrow('block height must be a whole number');
  });

  it('estimates the height from the halving anchors and projects 144 a day beyond', () => {
    expect(estimatedHeight(Date.parse('2024-04-20T00:09:27Z'))).toBe(840_000);
    // Block 769,786 was mined on 2023-01-01; interpolation between halvings lands within a few thousand.
    expect(Math.abs(estimatedHeight(Date.parse('2023-01-01T00:00:00Z')) - 769_786)).toBeLessThan(3_000);
    expect(estimatedHeight(Date.parse('2024-04-30T00:09:27Z'))).toBe(840_000 + 1440);
  });

  it('gives a halving day the mix of both subsidies, any other day one', () => {
    expect(meanSubsidyBtc(Date.parse('2024-04-19T00:00:00Z'), Date.parse('2024-04-20T00:00:00Z'))).toBe(6.25);
    const halvingDay = meanSubsidyBtc(Date.parse('2024-04-20T00:00:00Z'), Date.parse('2024-04-21T00:00:00Z'));
    expect(halvingDay).toBeGreaterThan(3.125);
    expect(halvingDay).toBeLessThan(3.125 * 1.01);
  });
});

describe('hashprice', () => {
  const day = { day: '2024-04-22', difficulty: 8e13, btcPrice: 60_000 };

  it('is blocks per TH/s-day × subsidy × price; fees add per block', () => {
    const perTHsDay = (1e12 * 86_400) / (8e13 * 2 ** 32);
    expect(hashprice(day).total).toBeCloseTo(perTHsDay * 3.125 * 60_000, 12);
    expect(hashprice(day).total).toBeCloseTo(0.04715, 5);
    const withFees = hashprice({ ...day, networkTHs: 6e8, feesBtc: 20 });
    expect(blocksPerDay({ ...day, networkTHs: 6e8 })).toBeCloseTo(150.87, 2);
    expect(withFees.fees).toBeCloseTo(perTHsDay * (20 / blocksPerDay({ ...day, networkTHs: 6e8 })) * 60_000, 12);
    expect(withFees.subsidy).toBe(hashprice(day).subsidy);
    // Without a hash rate, fees are spread over the 144 blocks the difficulty aims at.
    expect(hashprice({ ...day, feesBtc: 14.4 }).fees).toBeCloseTo(perTHsDay * 0.1 * 60_000, 12);
  });

  it('becomes revenue per kWh through the device efficiency and the pool fee', () => {
    const h = hashprice(day);
    const options = { efficiencyJPerTH: 30, currency: 'EUR', perPriceCurrencyUnit: 0.9, poolFeeRate: 0.02 };
    expect(revenuePerKWh(h, options)).toBeCloseTo((h.total * 0.98 * 0.9) / 0.72, 12);
    expect(() => revenuePerKWh(h, { ...options, efficiencyJPerTH: 0 })).toThrow('efficiency must be > 0 J/TH');
  });

  it('makes a ComputeRevenueCurve per day or per planner step', () => {
    const days = [day, { ...day, day: '2024-04-21', btcPrice: 50_000 }];
    const options = { efficiencyJPerTH: 25, currency: 'EUR', perPriceCurrencyUnit: 0.9 };
    const daily = ComputeRevenueCurve.parse(bitcoinRevenueCurve(days, options));
    expect(daily.points.map((p) => p.start)).toEqual(['2024-04-21T00:00:00Z', '2024-04-22T00:00:00Z']);
    const quarters = ComputeRevenueCurve.parse(bitcoinRevenueCurve(days, { ...options, resolutionMinutes: 15 }));
    expect(quarters.points).toHaveLength(192);
    expect(quarters.points[95]!.perKWh).toBe(daily.points[0]!.perKWh);
    expect(() => bitcoinRevenueCurve([day, day], options)).toThrow('mining day 2024-04-22 is given twice');
  });

  it('1,000 random days: hashprice × network TH/s is the whole network\'s daily reward', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const rnd = seededRandom(seed);
      const d = {
        day: new Date(Date.UTC(2016, 0, 1) + Math.floor(rnd() * 4000) * DAY).toISOString().slice(0, 10),
        difficulty: 1e12 * (1 + rnd() * 100),
        btcPrice: 1000 + rnd() * 100_000,
        networkTHs: 1e7 * (1 + rnd() * 100),
        feesBtc: rnd() * 100,
      };
      const h = hashprice(d);
      const subsidy = meanSubsidyBtc(Date.parse(`${d.day}T00:00:00Z`), Date.parse(`${d.day}T00:00:00Z`) + DAY);
      const network = blocksPerDay(d) * (subsidy + d.feesBtc / blocksPerDay(d)) * d.btcPrice;
      const relative = Math.abs(h.total * d.networkTHs - network) / network;
      if (relative > 1e-9) expect(relative, `seed ${seed}`).toBeLessThan(1e-9);
    }
  });
});
