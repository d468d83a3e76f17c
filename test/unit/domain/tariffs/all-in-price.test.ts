import { describe, expect, it } from 'vitest';
import { allInPriceSteps } from '../../../../functions/domain/tariffs/all-in-price.ts';
import { seededRandom } from '../../../../local/fleet/seeded-random.ts';
import { Tariff } from '../../../../schemas/tariff.ts';

/** Shaped like a Danish C-customer tariff (DSO time-of-use, winter Oct–Mar), in EUR so it meets EUR spot prices. */
const DANISH_LIKE: Tariff = Tariff.parse({
  currency: 'EUR',
  supplierMarginPerKWh: 0.01,
  gridFee: [
    { months: [10, 11, 12, 1, 2, 3], periods: [{ from: '00:00', perKWh: 0.02 }, { from: '06:00', perKWh: 0.06 }, { from: '17:00', perKWh: 0.17 }, { from: '21:00', perKWh: 0.06 }] },
    { periods: [{ from: '00:00', perKWh: 0.02 }, { from: '06:00', perKWh: 0.03 }, { from: '17:00', perKWh: 0.07 }, { from: '21:00', perKWh: 0.03 }] },
  ],
  taxes: [
    { name: 'elafgift', perKWh: 0.1 },
    { name: 'transmission', perKWh: 0.02 },
  ],
  vatRate: 0.25,
});
const ZERO: Tariff = { currency: 'EUR', supplierMarginPerKWh: 0, gridFee: [{ periods: [{ from: '00:00', perKWh: 0 }] }], taxes: [], vatRate: 0 };

const close = (values: number[]) => values.map((v) => Math.round(v * 1e9) / 1e9);

describe('allInPriceSteps', () => {
  it('is the spot price for a tariff of nothing, known flags kept', () => {
    const spot = { values: [0.1, -0.02, 0.3], known: [true, true, false], currency: 'EUR' };
    expect(allInPriceSteps(ZERO, spot, new Date('2023-01-10T00:00:00Z'), 15, 'Europe/Copenhagen')).toEqual({ values: [0.1, -0.02, 0.3], known: [true, true, false], currency: 'EUR' });
  });

  it('adds margin, the local time-of-use fee and taxes, then VAT — negative spot included', () => {
    // 2023-01-10 16:00Z is 17:00 in Copenhagen (CET): winter peak.
    const steps = allInPriceSteps(DANISH_LIKE, { values: [0.05, -0.05] }, new Date('2023-01-10T15:45:00Z'), 15, 'Europe/Copenhagen');
    expect(close(steps.values)).toEqual([(0.05 + 0.01 + 0.06 + 0.12) * 1.25, (-0.05 + 0.01 + 0.17 + 0.12) * 1.25].map((v) => Math.round(v * 1e9) / 1e9));
  });

  it('averages the fee over a step that spans a fee change', () => {
    // 16:30–17:30 local on a winter day: half high (0.06), half peak (0.17).
    const [value] = allInPriceSteps({ ...DANISH_LIKE, vatRate: 0, taxes: [], supplierMarginPerKWh: 0 }, { values: [0] }, new Date('2023-01-10T15:30:00Z'), 60, 'Europe/Copenhagen').values;
    expect(value).toBeCloseTo(0.115, 12);
  });

  it('moves the fee windows with the local clock across DST and picks the season by local date', () => {
    const feeOnly = { ...DANISH_LIKE, vatRate: 0, taxes: [], supplierMarginPerKWh: 0 };
    // Saturday 2023-03-25 (CET): peak from 16:00Z. Sunday 2023-03-26 (CEST): peak from 15:00Z. April: summer rates.
    const at = (iso: string) => allInPriceSteps(feeOnly, { values: [0] }, new Date(iso), 15, 'Europe/Copenhagen').values[0];
    expect([at('2023-03-25T15:45:00Z'), at('2023-03-25T16:00:00Z')]).toEqual([0.06, 0.17]);
    expect([at('2023-03-26T14:45:00Z'), at('2023-03-26T15:00:00Z')]).toEqual([0.06, 0.17]);
    expect(at('2023-04-03T15:00:00Z')).toBe(0.07);
    // The 60-minute step holding the spring jump (01:00Z–02:00Z is 03:00–04:00 CEST) is one plain hour.
    expect(allInPriceSteps(feeOnly, { values: [0] }, new Date('2023-03-26T00:30:00Z'), 60, 'Europe/Copenhagen').values[0]).toBe(0.02);
  });

  it('applies weekday schedules by ISO weekday', () => {
    const weekend: Tariff = { ...ZERO, gridFee: [{ weekdays: [6, 7], periods: [{ from: '00:00', perKWh: 0.01 }] }, { periods: [{ from: '00:00', perKWh: 0.05 }] }] };
    // 2023-01-14 is a Saturday, 2023-01-16 a Monday (Berlin).
    const at = (iso: string) => allInPriceSteps(weekend, { values: [0] }, new Date(iso), 15, 'Europe/Berlin').values[0];
    expect([at('2023-01-14T12:00:00Z'), at('2023-01-16T12:00:00Z'), at('2023-01-15T23:00:00Z')]).toEqual([0.01, 0.05, 0.05]);
  });

  it('refuses spot prices in another currency', () => {
    expect(() => allInPriceSteps(DANISH_LIKE, { values: [1], currency: 'DKK' }, new Date(), 15, 'Europe/Copenhagen')).toThrow('the tariff is in EUR but the spot prices are in DKK');
  });

  it('is validated by its schema: a catch-all last schedule, plausible per-kWh figures', () => {
    const noCatchAll = { ...ZERO, gridFee: [{ months: [1], periods: [{ from: '00:00', perKWh: 0 }] }] };
    expect(Tariff.safeParse(noCatchAll).error?.issues[0]?.message).toBe('the last gridFee schedule must have no months or weekdays, so every date has a fee');
    expect(Tariff.safeParse({ ...ZERO, supplierMarginPerKWh: 45 }).success).toBe(false);
    expect(Tariff.safeParse({ ...ZERO, gridFee: [{ periods: [{ from: '24:00', perKWh: 0 }] }] }).success).toBe(false);
  });

  it('1,000 random tariffs: the fee share of every step lies between the schedule\'s cheapest and dearest fee', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const rnd = seededRandom(seed);
      const fees = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => Math.round(rnd() * 50) / 100);
      const periods = fees.map((perKWh) => ({ from: `${String(Math.floor(rnd() * 24)).padStart(2, '0')}:${pickMinute(rnd)}`, perKWh }));
      const tariff: Tariff = { currency: 'EUR', supplierMarginPerKWh: Math.round(rnd() * 5) / 100, gridFee: [{ periods }], taxes: [{ name: 't', perKWh: Math.round(rnd() * 20) / 100 }], vatRate: Math.round(rnd() * 25) / 100 };
      const stepMinutes = rnd() < 0.5 ? 15 : 60;
      const spot = Array.from({ length: 8 }, () => rnd() * 0.5 - 0.1);
      const start = new Date(Date.UTC(2023, 0, 1) + Math.floor(rnd() * 365 * 96) * 900_000);
      const { values } = allInPriceSteps(tariff, { values: spot }, start, stepMinutes, rnd() < 0.5 ? 'Europe/Copenhagen' : 'America/Chicago');
      values.forEach((v, i) => {
        const fee = v / (1 + tariff.vatRate) - spot[i]! - tariff.supplierMarginPerKWh - tariff.taxes[0]!.perKWh;
        if (fee < Math.min(...fees) - 1e-9 || fee > Math.max(...fees) + 1e-9) expect(fee, `seed ${seed} step ${i}`).toBeGreaterThanOrEqual(Math.min(...fees));
      });
    }
  });
});

function pickMinute(rnd: () => number): string {
  return ['00', '15', '30', '45'][Math.floor(rnd() * 4)]!;
}
