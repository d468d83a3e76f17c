import type { Tariff } from '../../../schemas/tariff.ts';
import { compileSchedules, timeOfUseSteps } from './time-of-use.ts';

/** Spot prices per planner step, per kWh (as `readPriceSteps` gives them), with the currency when known. */
export interface SpotSteps {
  values: readonly number[];
  known?: readonly boolean[];
  currency?: string;
}

export interface AllInSteps {
  /** What the household pays per kWh in each step, VAT included. */
  values: number[];
  /** Copied from the spot steps: an all-in price is only as known as the spot price under it. */
  known: boolean[];
  currency: string;
}

/**
 * The all-in price planners optimise against, per step:
 *   (spot + supplier margin + time-of-use grid fee + taxes) × (1 + VAT)
 * The grid fee follows the local clock of `timezone` (the site's, i.e. the device's `timezone`), averaged
 * over each step (time-of-use.ts). Negative spot prices stay negative before fees, as on the bill. Pure.
 */
export function allInPriceSteps(tariff: Tariff, spotSteps: SpotSteps, start: Date, stepMinutes: number, timezone: string): AllInSteps {
  if (spotSteps.currency !== undefined && spotSteps.currency !== tariff.currency) {
    throw new Error(`the tariff is in ${tariff.currency} but the spot prices are in ${spotSteps.currency}`);
  }
  const fees = timeOfUseSteps(compileSchedules(tariff.gridFee), start, spotSteps.values.length, stepMinutes, timezone);
  const taxes = tariff.taxes.reduce((sum, t) => sum + t.perKWh, 0);
  const values = spotSteps.values.map((spot, i) => (spot + tariff.supplierMarginPerKWh + fees[i]! + taxes) * (1 + tariff.vatRate));
  return { values, known: spotSteps.known ? [...spotSteps.known] : values.map(() => true), currency: tariff.currency };
}
