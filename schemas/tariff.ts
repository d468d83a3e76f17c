import * as z from 'zod';
import { Currency } from './primitives.ts';

/** Local wall-clock time `HH:MM` (the form shadow.ts uses for comfort periods). */
const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

/** Per kWh in the tariff's currency; bounded so a unit slip (per MWh typed as per kWh) is refused. */
const PerKWh = z.number().min(-10).max(10);

/** A fee starting at a local time and holding until the next period starts; the last wraps over midnight. */
export const TimeOfUsePeriod = z.object({ from: HourMinute, perKWh: PerKWh }).strict();

/**
 * A value per kWh that follows the local clock on some days: the months (1–12) and ISO weekdays (1 = Monday …
 * 7 = Sunday) it applies to, absent meaning all. Danish DSOs, e.g., charge winter (Oct–Mar) and summer grid
 * fees with a 17–21 peak; AI-workload buyers pay by time of day.
 */
export const TimeOfUseSchedule = z
  .object({
    months: z.array(z.int().min(1).max(12)).min(1).max(12).optional(),
    weekdays: z.array(z.int().min(1).max(7)).min(1).max(7).optional(),
    periods: z.array(TimeOfUsePeriod).min(1).max(96),
  })
  .strict();
export type TimeOfUseSchedule = z.infer<typeof TimeOfUseSchedule>;

/** The last schedule of a list must match every date, so no step is left without a value. */
export const lastIsCatchAll = (schedules: readonly TimeOfUseSchedule[]): boolean => {
  const last = schedules[schedules.length - 1];
  return last !== undefined && last.months === undefined && last.weekdays === undefined;
};

/**
 * What a household pays per kWh, configured per device or per site:
 *   (spot + supplierMarginPerKWh + time-of-use grid fee + Σ taxes) × (1 + vatRate)
 * in `currency`, which must be the spot price's. Grid-fee schedules are tried in order and the first whose
 * months and weekdays match the local date applies; the last must match every date, so no step is unpriced.
 */
export const Tariff = z
  .object({
    currency: Currency,
    supplierMarginPerKWh: PerKWh,
    gridFee: z.array(TimeOfUseSchedule).min(1).max(16),
    /** Energy taxes and levies per kWh (e.g. Danish elafgift, German Stromsteuer); VAT is separate. */
    taxes: z.array(z.object({ name: z.string().min(1).max(64), perKWh: PerKWh }).strict()).max(16),
    vatRate: z.number().min(0).max(1),
  })
  .strict()
  .refine((t) => lastIsCatchAll(t.gridFee), { message: 'the last gridFee schedule must have no months or weekdays, so every date has a fee', path: ['gridFee'] });
export type Tariff = z.infer<typeof Tariff>;
