import { HOUR_MS, toInstant } from '../../domain/market/time.ts';
import { hasOffset } from '../../domain/time/offset-timestamp.ts';
import { naiveTimestampMs } from '../../domain/time/naive-timestamp.ts';
import { utcOffsetSeconds } from '../../domain/time/zoned-time.ts';
import { parseDatetimePriceCsv, type StampedPrice } from './datetime-price-csv.ts';
import type { PriceRow } from './price-rows.ts';
import { priceSegmentsFromRows, type PriceSegments } from './price-segments.ts';
import { quoted } from './quoted.ts';

export interface LocalPriceFile extends PriceSegments {
  /** What was done to the file's DST rows, one sentence per case, for the backtest report. */
  notes: string[];
}

const TIMEZONE = 'Europe/Berlin';

/**
 * The instants a zone's clock shows `wallMs` at: one, none (the spring gap) or two (the autumn repeat).
 * `offsetAt` is a per-file memo of the zone's offset: Intl is the slow part, and rows ask about the same hours.
 */
function instantsOf(wallMs: number, offsetAt: (ms: number) => number): number[] {
  const offsets = new Set([offsetAt(wallMs - 12 * HOUR_MS), offsetAt(wallMs + 12 * HOUR_MS)]);
  return [...offsets]
    .map((o) => wallMs - o * 1000)
    .filter((ms) => offsetAt(ms) * 1000 === wallMs - ms)
    .sort((a, b) => a - b);
}

function memoisedOffset(timeZone: string): (ms: number) => number {
  const memo = new Map<number, number>();
  return (ms) => {
    let o = memo.get(ms);
    if (o === undefined) memo.set(ms, (o = utcOffsetSeconds(ms, timeZone)));
    return o;
  };
}

const wallText = (wallMs: number): string => toInstant(wallMs).slice(0, 16).replace('T', ' ');

/**
 * The DE-LU day-ahead file of the green-dcc data set (`Datetime,Price (EUR/MWh)`, naive Europe/Berlin
 * wall-clock start of hour, EPEX/SDAC prices via RTE éCO2mix), read for backtests. Its DST convention is
 * "every day has 24 rows", which is wrong twice a year, so:
 * - spring: the row for 02:00, an hour the clock skips, repeats the 03:00 price and is dropped;
 * - autumn: the two 02:00 hours (CEST, then CET) appear as ONE row; its price is used for both, since the
 *   file cannot say which of the two it priced (the alternative, a one-hour hole, costs a backtest more);
 *   a file that does list 02:00 twice gets them in order;
 * - a missing day (2022-09-03) splits the curve and is listed in `gaps`.
 * Each case is reported in `notes`. `timeZone` exists for other naive-local files of the same layout.
 */
export function loadNaiveLocalPriceCsv(document: string, options: { what: string; zone: string; source: string; timeZone: string }): LocalPriceFile {
  const { what, zone, timeZone } = options;
  const { currency, rows: stamped } = parseDatetimePriceCsv(document, what);
  const byWall = new Map<number, StampedPrice[]>();
  const walls: number[] = [];
  for (const row of stamped) {
    const wallMs = hasOffset(row.stamp) ? undefined : naiveTimestampMs(row.stamp);
    if (wallMs === undefined) throw new Error(`${what}: line ${row.line} Datetime ${quoted(row.stamp)} is not a zone-less local stamp`);
    const same = byWall.get(wallMs);
    if (same) same.push(row);
    else {
      byWall.set(wallMs, [row]);
      walls.push(wallMs);
    }
  }
  const rows: PriceRow[] = [];
  const notes: string[] = [];
  const offsetAt = memoisedOffset(timeZone);
  for (const wallMs of walls) {
    const found = byWall.get(wallMs)!;
    const instants = instantsOf(wallMs, offsetAt);
    const first = found[0]!;
    if (instants.length === 0) {
      const next = byWall.get(wallMs + HOUR_MS)?.[0];
      const repeats = next !== undefined && next.price === first.price;
      notes.push(
        `${wallText(wallMs)} does not exist in ${timeZone} (clocks jump forward): line ${first.line} (${first.price}) ` +
          `${repeats ? 'repeats the next hour and was dropped' : `differs from the next hour (${next?.price ?? 'none'}) and was dropped`}`,
      );
      continue;
    }
    if (found.length > instants.length) {
      throw new Error(`${what}: lines ${found.map((r) => r.line).join(', ')} all give ${wallText(wallMs)}, which ${timeZone} shows ${instants.length === 1 ? 'once' : 'twice'}`);
    }
    instants.forEach((startMs, k) => {
      const row = found[k] ?? first;
      rows.push({ startMs, zone, price: row.price, position: `line ${row.line}${found[k] ? '' : ' (repeated for the second pass of the hour)'}` });
    });
    if (instants.length === 2 && found.length === 1) {
      notes.push(`${wallText(wallMs)} happens twice in ${timeZone} (clocks go back): line ${first.line} is the only row, its price ${first.price} was used for both hours`);
    }
  }
  const segments = priceSegmentsFromRows(rows, { source: options.source, what, nominalResolutionMinutes: 60, resolutionMinutes: 60, currency }, 'split');
  for (const gap of segments.gaps) notes.push(`no ${zone} prices from ${gap.from} to ${gap.to} (between ${gap.after} and ${gap.before})`);
  return { ...segments, notes };
}

export function loadDeLuCsv(document: string, what = 'DE-LU green-dcc price CSV'): LocalPriceFile {
  return loadNaiveLocalPriceCsv(document, { what, zone: 'DE-LU', source: 'green-dcc', timeZone: TIMEZONE });
}
