import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { MINUTE_MS, toInstant } from '../../domain/market/time.ts';
import { priceCurvesFromRows, type CurveMeta, type PriceRow } from './price-rows.ts';

/** Where a file has no price: [from, to) in UTC, between the rows named. */
export interface PriceGap {
  zone: string;
  from: string;
  to: string;
  after: string;
  before: string;
}

export interface PriceSegments {
  /** Contiguous curves, by zone then time. */
  curves: PriceCurve[];
  gaps: PriceGap[];
}

export type KnownResolutionMeta = CurveMeta & { resolutionMinutes: 15 | 30 | 60 };

/**
 * Rows → curves for files of known resolution. `refuse`: a hole is an error (what an API answer must be).
 * `split`: a hole ends one curve and starts the next, and is reported (what a backtest over a year of
 * published data needs: the DE-LU file misses a whole day, and failing the year for it helps no one).
 * Repeated or misaligned rows are refused in both modes.
 */
export function priceSegmentsFromRows(rows: readonly PriceRow[], meta: KnownResolutionMeta, mode: 'refuse' | 'split'): PriceSegments {
  if (mode === 'refuse') return { curves: priceCurvesFromRows(rows, meta), gaps: [] };
  const stepMs = meta.resolutionMinutes * MINUTE_MS;
  const byZone = new Map<string, PriceRow[]>();
  for (const row of rows) {
    const list = byZone.get(row.zone);
    if (list) list.push(row);
    else byZone.set(row.zone, [row]);
  }
  const result: PriceSegments = { curves: [], gaps: [] };
  for (const zone of [...byZone.keys()].sort()) {
    const sorted = [...byZone.get(zone)!].sort((a, b) => a.startMs - b.startMs);
    let runStart = 0;
    for (let i = 1; i <= sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]];
      if (b && b.startMs - a.startMs <= stepMs) continue;
      result.curves.push(...priceCurvesFromRows(sorted.slice(runStart, i), meta));
      if (b) result.gaps.push({ zone, from: toInstant(a.startMs + stepMs), to: toInstant(b.startMs), after: a.position, before: b.position });
      runStart = i;
    }
  }
  return result;
}
