import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { splitCsv } from '../csv/split-lines.ts';
import { naiveTimestampMs } from '../../domain/time/naive-timestamp.ts';
import { ENERGIDATASERVICE_SOURCE } from './energidataservice.ts';
import { priceCurvesFromRows, type PriceRow } from './price-rows.ts';
import { quoted, clipped } from './quoted.ts';

/** Column names of the two datasets' "download as CSV" files; the UTC column is the one read. */
const TIME_COLUMNS = ['HourUTC', 'TimeUTC'] as const;
const EUR_COLUMNS = ['SpotPriceEUR', 'DayAheadPriceEUR'] as const;

/** EDS writes decimals with a comma (`-1,110000`); a bare integer is allowed, an empty cell is not. */
const DECIMAL_COMMA = /^-?\d+(?:,\d+)?$/;

function column(header: string[], names: readonly string[], what: string): number {
  const index = header.findIndex((h) => names.includes(h.trim()));
  if (index < 0) throw new Error(`${what}: line 1 has no ${names.join(' or ')} column (header: ${clipped(header.join(';'), 200)})`);
  return index;
}

/**
 * Every zone's curve in an EDS CSV download (`;`-separated, decimal comma, header
 * `HourUTC;HourDK;PriceArea;SpotPriceDKK;SpotPriceEUR`, stamps `YYYY-MM-DD HH:MM` or `…:SS`, newest first).
 * A malformed, repeated or missing hour is refused with its line number. `what` names the file in errors.
 */
export function parseEnergiDataServiceCsv(text: string, what = 'Energi Data Service CSV'): PriceCurve[] {
  const [header, ...lines] = splitCsv(text, ';');
  if (!header) throw new Error(`${what} is empty`);
  const timeAt = column(header.cells, TIME_COLUMNS, what);
  const zoneAt = column(header.cells, ['PriceArea'], what);
  const eurAt = column(header.cells, EUR_COLUMNS, what);
  const timeName = header.cells[timeAt]!.trim();

  const rows: PriceRow[] = lines.map(({ line, cells }) => {
    const position = `line ${line}`;
    if (cells.length !== header.cells.length) {
      throw new Error(`${what}: ${position} has ${cells.length} fields; the header has ${header.cells.length}`);
    }
    const stamp = cells[timeAt]!;
    const startMs = naiveTimestampMs(stamp);
    if (startMs === undefined) throw new Error(`${what}: ${position} ${timeName} is not a timestamp: ${quoted(stamp)}`);
    const priceText = cells[eurAt]!.trim();
    if (!DECIMAL_COMMA.test(priceText)) throw new Error(`${what}: ${position} EUR price is not a number: ${quoted(priceText)}`);
    const zone = cells[zoneAt]!.trim();
    if (!zone) throw new Error(`${what}: ${position} has no PriceArea`);
    return { startMs, zone, price: Number(priceText.replace(',', '.')), position };
  });
  if (rows.length === 0) throw new Error(`${what} holds no prices`);
  const nominalResolutionMinutes = timeName === 'TimeUTC' ? 15 : 60;
  return priceCurvesFromRows(rows, { source: ENERGIDATASERVICE_SOURCE, what, nominalResolutionMinutes });
}
