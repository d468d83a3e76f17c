import * as z from 'zod';
import { Currency } from './primitives.ts';
import { TimeOfUseSchedule, lastIsCatchAll } from './tariff.ts';

/**
 * What an AI-workload buyer pays for a heater's compute, configured per fleet or site: per kWh of compute power
 * by local time of day (schedules as in tariffs; `perKWh` ≥ 0 here), or per job of known energy. `utilisation`
 * is the share of time jobs are actually queued, so the curve is the EXPECTED revenue per kWh offered.
 */
export const AiWorkloadPricing = z
  .object({
    currency: Currency,
    pricing: z.discriminatedUnion('kind', [
      z
        .object({ kind: z.literal('perKWh'), schedules: z.array(TimeOfUseSchedule).min(1).max(16) })
        .strict()
        .refine((p) => lastIsCatchAll(p.schedules), { message: 'the last schedule must have no months or weekdays', path: ['schedules'] })
        .refine((p) => p.schedules.every((s) => s.periods.every((q) => q.perKWh >= 0)), { message: 'AI-workload prices are not negative', path: ['schedules'] }),
      z.object({ kind: z.literal('perJob'), perJob: z.number().min(0).max(10_000), kWhPerJob: z.number().positive().max(10_000) }).strict(),
    ]),
    utilisation: z.number().min(0).max(1),
  })
  .strict();
export type AiWorkloadPricing = z.infer<typeof AiWorkloadPricing>;
