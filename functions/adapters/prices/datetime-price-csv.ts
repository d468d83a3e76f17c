import { splitCsv } from '../csv/split-lines.ts';
import { decimal } from './price-source.ts';
import { quoted } from './quoted.ts';

/** One row of a `Datetime,Price (XXX/MWh)` file, the stamp still as written. */
export interface StampedPrice {
  line: number;
  stamp: string;
  price: number;
}

/** `Price (USD/MWh)`: the currency is in the header, not in the rows. */
const PRICE_HEADER = /^Price \(([A-Z]{3})\/MWh\)$/;

/**
 * The two-column price files of the green-dcc data set (ERCOT, CAISO, DE-LU): header
 * `Datetime,Price (<currency>/MWh)`, then `<stamp>,<price>` with a decimal point. The meaning of the stamp
 * differs per market (local with offset, naive UTC, naive local), so it is returned as written and each
 * market's adapter reads it; the column layout and number checks live here once.
 */
export function parseDatetimePriceCsv(text: string, what: string): { currency: string; rows: StampedPrice[] } {
  const [header, ...lines] = splitCsv(text, ',');
  if (!header) throw new Error(`${what} is empty`);
  const [timeName, priceName] = header.cells.map((c) => c.trim());
  const currency = PRICE_HEADER.exec(priceName ?? '')?.[1];
  if (header.cells.length !== 2 || timeName !== 'Datetime' || !currency) {
    throw new Error(`${what}: line ${header.line} is ${quoted(header.cells.join(','), 120)}; expected Datetime,Price (<currency>/MWh)`);
  }
  const rows = lines.map(({ line, cells }) => {
    if (cells.length !== 2) throw new Error(`${what}: line ${line} has ${cells.length} fields; expected 2`);
    return { line, stamp: cells[0]!.trim(), price: decimal(cells[1]!, what, `line ${line}`) };
  });
  if (rows.length === 0) throw new Error(`${what} holds no prices`);
  return { currency, rows };
}
