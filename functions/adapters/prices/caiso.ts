import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { hasOffset } from '../../domain/time/offset-timestamp.ts';
import { naiveTimestampMs } from '../../domain/time/naive-timestamp.ts';
import { parseDatetimePriceCsv } from './datetime-price-csv.ts';
import { selectCurves, type ParseOptions, type PriceSourceAdapter } from './price-source.ts';
import type { PriceRow } from './price-rows.ts';
import { priceSegmentsFromRows, type KnownResolutionMeta, type PriceSegments } from './price-segments.ts';
import { quoted } from './quoted.ts';

const WHAT = 'CAISO DAM LMP CSV';

/**
 * CAISO OASIS day-ahead LMPs (`PRC_LMP`, `market_run_id=DAM`, one node per file: TH_NP15_GEN-APND in the
 * green-dcc data): `Datetime,Price (USD/MWh)` where Datetime is OASIS's `INTERVALSTARTTIME_GMT` written
 * WITHOUT a zone. It is UTC: read as Pacific time it would put every price 7–8 h off. Because the stamps are
 * UTC, a Pacific DST day is simply 23 or 25 consecutive rows. A stamp with an offset is refused (that is the
 * ERCOT layout, and mixing them up would shift the file by hours).
 */
function rowsOf(document: string, zone: string, what: string): { rows: PriceRow[]; meta: KnownResolutionMeta } {
  const { currency, rows } = parseDatetimePriceCsv(document, what);
  // A US market file in another currency is another market's file: its stamps would be misread too.
  if (currency !== 'USD') throw new Error(`${what}: line 1 gives prices in ${currency}; this market's are in USD`);
  return {
    rows: rows.map(({ line, stamp, price }) => {
      const startMs = hasOffset(stamp) ? undefined : naiveTimestampMs(stamp);
      if (startMs === undefined) throw new Error(`${what}: line ${line} Datetime ${quoted(stamp)} is not a zone-less UTC stamp (expected e.g. 2022-01-01 08:00:00)`);
      return { startMs, zone, price, position: `line ${line}` };
    }),
    meta: { source: 'caiso', what, nominalResolutionMinutes: 60, resolutionMinutes: 60, currency },
  };
}

export function parseCaiso(document: string, options?: ParseOptions): PriceCurve[] {
  const { rows, meta } = rowsOf(document, options?.zone ?? 'CAISO', WHAT);
  return selectCurves(priceSegmentsFromRows(rows, meta, 'refuse').curves, { resolution: options?.resolution }, WHAT);
}

/** For backtests over whole years: a hole splits the file into curves instead of failing it. */
export function loadCaisoCsv(document: string, what = WHAT, zone = 'CAISO'): PriceSegments {
  const { rows, meta } = rowsOf(document, zone, what);
  return priceSegmentsFromRows(rows, meta, 'split');
}

export const caiso: PriceSourceAdapter = { id: 'caiso', what: WHAT, defaultZone: 'CAISO', parse: parseCaiso };
