import * as z from 'zod';
import { Instant } from './primitives.ts';

/** The earliest start a dispatch may state. */
const EARLIEST_DISPATCH_MS = Date.UTC(2000, 0, 1);

/**
 * The plain JSON dispatch webhook, for aggregators without OpenADR: hold the fleet's import at or below
 * `kW` from `start` to `end`, or cancel a dispatch sent before. Retries carry the same `dispatchId`.
 */
export const DispatchRequest = z
  .object({
    dispatchId: z.string().min(1).max(128).regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, "_" and "-" only'),
    start: Instant,
    end: Instant,
    kW: z.number().min(0).max(10_000_000),
    cancelled: z.boolean().default(false),
    programId: z.string().min(1).max(128).optional(),
    targets: z.array(z.string().min(1).max(128)).max(1000).optional(),
  })
  .strict()
  .refine((d) => Date.parse(d.end) > Date.parse(d.start), { message: 'end must be after start', path: ['end'] })
  // A dispatch becomes an OpenADR event, where a start on 0001-01-01 means "when received" (and 9999 years
  // "open-ended"): a window written from the year 1 would become one that starts now and lasts millennia.
  .refine((d) => Date.parse(d.start) >= EARLIEST_DISPATCH_MS, { message: 'start must be in 2000 or later', path: ['start'] });
export type DispatchRequest = z.infer<typeof DispatchRequest>;
