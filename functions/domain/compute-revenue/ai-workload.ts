import type { AiWorkloadPricing } from '../../../schemas/compute-config.ts';
import type { ComputeRevenueCurve } from '../../../schemas/compute-revenue.ts';
import { MINUTE_MS, toInstant } from '../market/time.ts';
import { compileSchedules, timeOfUseSteps } from '../tariffs/time-of-use.ts';

/**
 * The AI-workload revenue per kWh of compute power per step, from configuration: the buyer's price by local
 * time (or per job ÷ energy per job), times the utilisation (the share of time jobs are queued), so the
 * planner sees what a kWh offered is expected to earn.
 */
export function aiRevenueCurve(config: AiWorkloadPricing, start: Date, steps: number, stepMinutes: 15 | 60, timezone: string): ComputeRevenueCurve {
  const prices =
    config.pricing.kind === 'perJob'
      ? Array<number>(steps).fill(config.pricing.perJob / config.pricing.kWhPerJob)
      : timeOfUseSteps(compileSchedules(config.pricing.schedules), start, steps, stepMinutes, timezone);
  return {
    kind: 'ai',
    currency: config.currency,
    resolutionMinutes: stepMinutes,
    points: prices.map((price, i) => ({ start: toInstant(start.getTime() + i * stepMinutes * MINUTE_MS), perKWh: price * config.utilisation })),
  };
}
