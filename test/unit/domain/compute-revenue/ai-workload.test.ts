import { describe, expect, it } from 'vitest';
import { aiRevenueCurve } from '../../../../functions/domain/compute-revenue/ai-workload.ts';
import { AiWorkloadPricing } from '../../../../schemas/compute-config.ts';
import { ComputeRevenueCurve } from '../../../../schemas/compute-revenue.ts';

describe('aiRevenueCurve', () => {
  it('follows the buyer\'s local time-of-day price, scaled by utilisation', () => {
    const config = AiWorkloadPricing.parse({
      currency: 'EUR',
      pricing: { kind: 'perKWh', schedules: [{ periods: [{ from: '00:00', perKWh: 0.1 }, { from: '08:00', perKWh: 0.3 }, { from: '20:00', perKWh: 0.1 }] }] },
      utilisation: 0.5,
    });
    // 06:00Z–08:00Z on 2023-06-01 is 08:00–10:00 CEST.
    const curve = ComputeRevenueCurve.parse(aiRevenueCurve(config, new Date('2023-06-01T05:00:00Z'), 3, 60, 'Europe/Berlin'));
    expect(curve).toMatchObject({ kind: 'ai', currency: 'EUR', resolutionMinutes: 60 });
    expect(curve.points).toEqual([
      { start: '2023-06-01T05:00:00Z', perKWh: 0.05 },
      { start: '2023-06-01T06:00:00Z', perKWh: 0.15 },
      { start: '2023-06-01T07:00:00Z', perKWh: 0.15 },
    ]);
  });

  it('prices per job by the energy a job takes, and refuses negative prices in configuration', () => {
    const perJob = AiWorkloadPricing.parse({ currency: 'USD', pricing: { kind: 'perJob', perJob: 0.5, kWhPerJob: 2 }, utilisation: 1 });
    expect(aiRevenueCurve(perJob, new Date('2023-01-01T00:00:00Z'), 4, 15, 'UTC').points.map((p) => p.perKWh)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const negative = { currency: 'EUR', pricing: { kind: 'perKWh', schedules: [{ periods: [{ from: '00:00', perKWh: -0.1 }] }] }, utilisation: 1 };
    expect(AiWorkloadPricing.safeParse(negative).error?.issues[0]?.message).toBe('AI-workload prices are not negative');
  });
});
