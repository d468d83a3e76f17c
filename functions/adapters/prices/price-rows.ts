import { explainIssues } from '../../../schemas/explain.ts';
import { PriceCurve } from '../../../schemas/price-curve.ts';
import { Currency, Zone } from '../../../schemas/primitives.ts';
import { MINUTE_MS, toInstant } from '../../domain/market/time.ts';
import { quoted } from './quoted.ts';

/**
 * Instants a price can be stated at: from the Unix epoch to the end of year 9999. Outside it a stamp cannot be
 * written as the ISO 8601 instant a curve holds (and `Date` itself ends in year 275760).
 */
const EARLIEST_MS = 0;
const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

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
  const curve = PriceCurve.safeParse({
    source: meta.source,
    zone,
    currency: meta.currency ?? 'EUR',
    unit: 'MWh',
    resolutionMinutes: resolution,
    points: rows.map((r) => ({ start: toInstant(r.startMs), price: r.price })),
  });
  // The rows were checked above; this names anything the checks missed instead of throwing a ZodError.
  if (!curve.success) throw new Error(`${meta.what}: the ${zone} prices do not make a valid curve: ${explainIssues(curve.error)}`);
  return curve.data;
}

/** One curve per zone, zones in alphabetical order; rows must already carry finite prices. */
export function priceCurvesFromRows(rows: readonly PriceRow[], meta: CurveMeta): PriceCurve[] {
  if (meta.currency !== undefined && !Currency.safeParse(meta.currency).success) {
    throw new Error(`${meta.what}: currency ${quoted(meta.currency)} is not an ISO 4217 code such as EUR`);
  }
  const byZone = new Map<string, PriceRow[]>();
  for (const row of rows) {
    if (!Number.isFinite(row.price) || !Number.isFinite(row.startMs)) {
      throw new Error(`${meta.what}: ${row.position} has no usable time or price`);
    }
    if (row.startMs < EARLIEST_MS || row.startMs > LATEST_MS) {
      throw new Error(`${meta.what}: ${row.position} is dated ${new Date(row.startMs).getUTCFullYear()}; prices are read from 1970 to 9999`);
    }
    if (!Zone.safeParse(row.zone).success) {
      throw new Error(`${meta.what}: ${row.position} zone ${quoted(row.zone)} is not a zone name (letters, digits, "_" and "-", at most 32)`);
    }
    const list = byZone.get(row.zone) ?? [];
    list.push(row);
    byZone.set(row.zone, list);
  }
  return [...byZone.keys()].sort().map((zone) => checkedCurve(zone, byZone.get(zone)!, meta));
}
