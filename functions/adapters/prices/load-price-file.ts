import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PriceCurve } from '../../../schemas/price-curve.ts';
import { loadCaisoCsv } from './caiso.ts';
import { loadDeLuCsv } from './de-lu-green-dcc.ts';
import { loadErcotCsv } from './ercot.ts';
import { hasOffset } from '../../domain/time/offset-timestamp.ts';
import { PRICE_SOURCES } from './sources.ts';

export type PriceFileFormat =
  | 'entsoe-xml'
  | 'energidataservice-json'
  | 'energidataservice-csv'
  | 'nordpool-json'
  | 'awattar-json'
  | 'octopus-json'
  | 'ercot-csv'
  | 'caiso-csv'
  | 'de-lu-csv';

export interface LoadedPrices {
  format: PriceFileFormat;
  /** Contiguous curves: API documents give one per zone and resolution, year files one per gap-free run. */
  curves: PriceCurve[];
  /** What was done to quirks of the file (DST rows, missing days), for the backtest report. */
  notes: string[];
}

/**
 * Which format a price document is, from its first bytes. The two-column `Datetime,Price (…)` files of the
 * green-dcc set share a header: ERCOT's stamps carry an offset; of the naive ones, EUR is the DE-LU file
 * (Europe/Berlin wall clock) and USD the CAISO file (UTC) — the only two such files published; any other
 * naive file needs its format named.
 */
export function detectPriceFormat(text: string, what: string): PriceFileFormat {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return 'entsoe-xml';
  if (head.startsWith('{')) {
    const probe = head.slice(0, 4000);
    if (probe.includes('"multiAreaEntries"') || probe.includes('"multiIndexEntries"')) return 'nordpool-json';
    if (probe.includes('"records"')) return 'energidataservice-json';
    if (probe.includes('"valid_from"') || probe.includes('"value_exc_vat"')) return 'octopus-json';
    if (probe.includes('"marketprice"')) return 'awattar-json';
    throw new Error(`${what}: a JSON document of no known price source`);
  }
  const [first = '', second = ''] = head.split('\n', 2).map((l) => l.trim());
  if (/^(HourUTC|TimeUTC);/.test(first) || first.includes(';PriceArea;')) return 'energidataservice-csv';
  const header = /^Datetime,Price \(([A-Z]{3})\/MWh\)$/.exec(first);
  if (header) {
    if (hasOffset(second.split(',')[0] ?? '')) return 'ercot-csv';
    if (header[1] === 'EUR') return 'de-lu-csv';
    if (header[1] === 'USD') return 'caiso-csv';
  }
  throw new Error(`${what}: not a price format Hearth reads (first line ${JSON.stringify(first.slice(0, 80))})`);
}

/** A price document's text read in its format; year files keep going past a missing day. */
export function readPriceDocument(text: string, format = detectPriceFormat(text, 'price document')): LoadedPrices {
  switch (format) {
    case 'ercot-csv': {
      const { curves, gaps } = loadErcotCsv(text);
      return { format, curves, notes: gaps.map((g) => `no ${g.zone} prices from ${g.from} to ${g.to}`) };
    }
    case 'caiso-csv': {
      const { curves, gaps } = loadCaisoCsv(text);
      return { format, curves, notes: gaps.map((g) => `no ${g.zone} prices from ${g.from} to ${g.to}`) };
    }
    case 'de-lu-csv': {
      const { curves, notes } = loadDeLuCsv(text);
      return { format, curves, notes };
    }
    case 'entsoe-xml':
      return { format, curves: PRICE_SOURCES.entsoe.parse(text), notes: [] };
    case 'nordpool-json':
      return { format, curves: PRICE_SOURCES.nordpool.parse(text), notes: [] };
    case 'awattar-json':
      return { format, curves: PRICE_SOURCES.awattar.parse(text), notes: [] };
    case 'octopus-json':
      return { format, curves: PRICE_SOURCES.octopus.parse(text), notes: [] };
    case 'energidataservice-json':
    case 'energidataservice-csv':
      return { format, curves: PRICE_SOURCES.energidataservice.parse(text), notes: [] };
  }
}

/** Reads a price file as published (shared data, API answers saved to disk) for a backtest; errors name the file. */
export async function loadPriceFile(path: string, format?: PriceFileFormat): Promise<LoadedPrices> {
  const text = await readFile(path, 'utf8');
  try {
    return readPriceDocument(text, format ?? detectPriceFormat(text, 'the document'));
  } catch (e) {
    throw new Error(`${basename(path)}: ${(e as Error).message}`);
  }
}
