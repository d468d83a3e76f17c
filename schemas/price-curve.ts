import * as z from 'zod';
import { Currency, Instant, Zone } from './primitives.ts';

export const PricePoint = z.object({ start: Instant, price: z.number().finite() }).strict();

/** Day-ahead prices, normalised: UTC instants, one resolution, prices per `unit` in `currency`. */
export const PriceCurve = z
  .object({
    source: z.string().min(1),
    zone: Zone,
    currency: Currency,
    unit: z.literal('MWh'),
    resolutionMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]),
    points: z.array(PricePoint).min(1),
  })
  .strict();
export type PriceCurve = z.infer<typeof PriceCurve>;
