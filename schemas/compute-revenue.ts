import * as z from 'zod';
import { Currency, Instant } from './primitives.ts';

/** What one kWh drawn by the compute share of a heater earns, per step. */
export const ComputeRevenueCurve = z
  .object({
    kind: z.enum(['bitcoin', 'ai']),
    currency: Currency,
    resolutionMinutes: z.union([z.literal(15), z.literal(60), z.literal(1440)]),
    points: z.array(z.object({ start: Instant, perKWh: z.number().finite().min(0) }).strict()).min(1),
  })
  .strict();
export type ComputeRevenueCurve = z.infer<typeof ComputeRevenueCurve>;
