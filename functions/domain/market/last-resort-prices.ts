/**
 * THE LAST RESORT when no price of a zone is stored at all (a new zone, or a source down for longer than the
 * price history kept for the fallback): one flat price per zone, per MWh, every step flagged unknown. A flat
 * price makes the planner keep comfort at a steady cost and shift nothing in time, which is the honest plan
 * when nothing is known; the values are the mean day-ahead prices of 2023 in the development data
 * (shared/data/prices), rounded. Zones not listed get `DEFAULT_LAST_RESORT_PRICE`; a deployment passes its
 * own table through `readPriceSteps`' options.
 */
export interface LastResortPrice {
  /** Per MWh. */
  price: number;
  currency: string;
}

export const LAST_RESORT_PRICES: Readonly<Record<string, LastResortPrice>> = {
  DK1: { price: 87, currency: 'EUR' },
  DK2: { price: 81, currency: 'EUR' },
  SE3: { price: 52, currency: 'EUR' },
  SE4: { price: 65, currency: 'EUR' },
  'DE-LU': { price: 95, currency: 'EUR' },
  ERCOT: { price: 56, currency: 'USD' },
  CAISO: { price: 61, currency: 'USD' },
};

/** Roughly the European mean; wrong in currency for a non-EUR zone not in the table — list such zones. */
export const DEFAULT_LAST_RESORT_PRICE: LastResortPrice = { price: 90, currency: 'EUR' };

export const lastResortPrice = (zone: string, table: Readonly<Record<string, LastResortPrice>> = LAST_RESORT_PRICES): LastResortPrice =>
  table[zone] ?? DEFAULT_LAST_RESORT_PRICE;
