import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { offsetTimestampMs } from '../../domain/time/offset-timestamp.ts';
import { parseDatetimePriceCsv } from './datetime-price-csv.ts';
import { selectCurves, type ParseOptions, type PriceSourceAdapter } from './price-source.ts';
import type { PriceRow } from './price-rows.ts';
import { priceSegmentsFromRows, type KnownResolutionMeta, type PriceSegments } from './price-segments.ts';
import { quoted } from './quoted.ts';

const WHAT = 'ERCOT DAM price CSV';

/**
 * ERCOT day-ahead settlement point prices as gridstatus writes them (`Ercot().get_dam_spp()`, one settlement
 * point per file, HB_HUBAVG in the green-dcc data): `Datetime,Price (USD/MWh)` with the interval start in
 * America/Chicago local time AND its offset (`2022-11-06 01:00:00-05:00`, then `01:00:00-06:00`), so the
 * repeated autumn hour and the skipped spring hour (23 and 25 rows per local day) read correctly without a
 * time-zone database. A naive stamp is refused: it would be an hour off half the year.
 */
function rowsOf(document: string, zone: string, what: string): { rows: PriceRow[]; meta: KnownResolutionMeta } {
  const { currency, rows } = parseDatetimePriceCsv(document, what);
  // A US market file in another currency is another market's file: its stamps would be misread too.
  if (currency !== 'USD') throw new Error(`${what}: line 1 gives prices in ${currency}; this market's are in USD`);
  return {
    rows: rows.map(({ line, stamp, price }) => {
      const startMs = offsetTimestampMs(stamp);
      if (startMs === undefined) throw new Error(`${what}: line ${line} Datetime ${quoted(stamp)} has no UTC offset (expected e.g. 2022-11-06 01:00:00-06:00)`);
      return { startMs, zone, price, position: `line ${line}` };
    }),
    meta: { source: 'ercot', what, nominalResolutionMinutes: 60, resolutionMinutes: 60, currency },
  };
}

export function parseErcot(document: string, options?: ParseOptions): PriceCurve[] {
  const { rows, meta } = rowsOf(document, options?.zone ?? 'ERCOT', WHAT);
  return selectCurves(priceSegmentsFromRows(rows, meta, 'refuse').curves, { resolution: options?.resolution }, WHAT);
}

/** For backtests over whole years: a hole splits the file into curves instead of failing it. */
export function loadErcotCsv(document: string, what = WHAT, zone = 'ERCOT'): PriceSegments {
  const { rows, meta } = rowsOf(document, zone, what);
  return priceSegmentsFromRows(rows, meta, 'split');
}

export const ercot: PriceSourceAdapter = { id: 'ercot', what: WHAT, defaultZone: 'ERCOT', parse: parseErcot };
