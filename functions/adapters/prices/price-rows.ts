import { PriceCurve } from '../../../schemas/price-curve.ts';
import { MINUTE_MS, toInstant } from '../../domain/market/time.ts';

/** One price as a source stated it; `position` (`records[17]`, `line 18`) names it in errors. */
export interface PriceRow {
  startMs: number;
  zone: string;
  /** Per MWh, in the curve's currency (`CurveMeta.currency`, EUR unless said otherwise). */
  price: number;
  position: string;
}

export interface CurveMeta {
  /** Goes into `PriceCurve.source`, e.g. `energidataservice`. */
  source: string;
  /** Names the document in errors, e.g. `Energi Data Service DayAheadPrices JSON`. */
  what: string;
  /** A curve of one point has no spacing to measure: the resolution the dataset is published in. */
  nominalResolutionMinutes: 15 | 30 | 60;
  /**
   * The resolution the document states (ENTSO-E `<resolution>`, Nord Pool `deliveryEnd`): used instead of the
   * spacing, so a document that leaves out an interval is refused as a hole rather than read at a coarser step.
   */
  resolutionMinutes?: 15 | 30 | 60;
  /** ISO 4217; EUR when not given (the EDS datasets Hearth started with). */
  currency?: string;
}

const RESOLUTIONS = [15, 30, 60] as const;
type Resolution = (typeof RESOLUTIONS)[number];

/**
 * The smallest spacing between prices, when it is a market resolution. Otherwise the dataset's nominal one
 * when the spacing is a multiple of it (so the gap check names the rows around the hole), else an error.
 */
function detectResolution(rows: readonly PriceRow[], meta: CurveMeta, zone: string): Resolution {
  if (meta.resolutionMinutes) return meta.resolutionMinutes;
  if (rows.length < 2) return meta.nominalResolutionMinutes;
  let [a, b] = [rows[0]!, rows[1]!];
  for (let i = 2; i < rows.length; i++) {
    if (rows[i]!.startMs - rows[i - 1]!.startMs < b.startMs - a.startMs) [a, b] = [rows[i - 1]!, rows[i]!];
  }
  const minutes = (b.startMs - a.startMs) / MINUTE_MS;
  const resolution = RESOLUTIONS.find((r) => r === minutes);
  if (resolution) return resolution;
  if (minutes % meta.nominalResolutionMinutes === 0) return meta.nominalResolutionMinutes;
  throw new Error(`${meta.what}: ${zone} prices at ${a.position} and ${b.position} are ${minutes} minutes apart; expected 15, 30 or 60`);
}

/** Sorted, one resolution, no duplicate and no hole: anything else is refused with the rows that break it. */
function checkedCurve(zone: string, unsorted: PriceRow[], meta: CurveMeta): PriceCurve {
  const rows = [...unsorted].sort((a, b) => a.startMs - b.startMs);
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1]!, rows[i]!];
    if (a.startMs === b.startMs) {
      throw new Error(`${meta.what}: ${a.position} and ${b.position} both give the ${zone} price at ${toInstant(a.startMs)}`);
    }
  }
  const resolution = detectResolution(rows, meta, zone);
  const stepMs = resolution * MINUTE_MS;
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1]!, rows[i]!];
    if (b.startMs - a.startMs !== stepMs) {
      throw new Error(
        `${meta.what}: ${zone} prices miss ${(b.startMs - a.startMs) / MINUTE_MS - resolution} minutes between ${a.position} ` +
          `(${toInstant(a.startMs)}) and ${b.position} (${toInstant(b.startMs)}) at ${resolution}-minute resolution`,
      );
    }
  }
  return PriceCurve.parse({
    source: meta.source,
    zone,
    currency: meta.currency ?? 'EUR',
    unit: 'MWh',
    resolutionMinutes: resolution,
    points: rows.map((r) => ({ start: toInstant(r.startMs), price: r.price })),
  });
}

/** One curve per zone, zones in alphabetical order; rows must already carry finite prices. */
export function priceCurvesFromRows(rows: readonly PriceRow[], meta: CurveMeta): PriceCurve[] {
  const byZone = new Map<string, PriceRow[]>();
  for (const row of rows) {
    if (!Number.isFinite(row.price) || !Number.isFinite(row.startMs)) {
      throw new Error(`${meta.what}: ${row.position} has no usable time or price`);
    }
    const list = byZone.get(row.zone) ?? [];
    list.push(row);
    byZone.set(row.zone, list);
  }
  return [...byZone.keys()].sort().map((zone) => checkedCurve(zone, byZone.get(zone)!, meta));
}
