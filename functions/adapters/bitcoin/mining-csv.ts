import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MiningDay } from '../../domain/compute-revenue/hashprice.ts';
import { splitCsv } from '../csv/split-lines.ts';
import { decimal } from '../prices/price-source.ts';
import { clipped, quoted } from '../prices/quoted.ts';

/**
 * Readers for the daily Bitcoin network files used in backtests (layouts of blockchain.com chart exports,
 * Yahoo Finance via yfinance, Bitcoin Visuals): one value per UTC day. Each returns day → value and refuses a
 * malformed or repeated day with its line.
 */
export type DailySeries = Map<string, number>;

/** Bitcoin Visuals quotes every field (`"2022-01-01 00:00:00",1075,…`); the others never quote. */
const unquote = (cell: string): string => {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t;
};
const DAY = /^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?$/;

function dailyColumn(text: string, what: string, dateColumn: string, valueColumn: string): DailySeries {
  const [header, ...rows] = splitCsv(text, ',');
  if (!header) throw new Error(`${what} is empty`);
  const names = header.cells.map(unquote);
  const dateAt = names.indexOf(dateColumn);
  const valueAt = names.indexOf(valueColumn);
  if (dateAt < 0 || valueAt < 0) throw new Error(`${what}: line ${header.line} has no ${dateColumn} and ${valueColumn} columns (header: ${clipped(names.join(','))})`);
  const series: DailySeries = new Map();
  for (const { line, cells } of rows) {
    if (cells.length !== names.length) throw new Error(`${what}: line ${line} has ${cells.length} fields; the header has ${names.length}`);
    const day = DAY.exec(unquote(cells[dateAt]!))?.[1];
    if (!day || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new Error(`${what}: line ${line} ${dateColumn} is not a day: ${quoted(cells[dateAt])}`);
    if (series.has(day)) throw new Error(`${what}: line ${line} gives ${day} a second time`);
    const value = decimal(unquote(cells[valueAt]!), what, `line ${line}`, valueColumn);
    if (value < 0) throw new Error(`${what}: line ${line} ${valueColumn} is negative: ${value}`);
    series.set(day, value);
  }
  return series;
}

/** blockchain.com `difficulty`: `Date,difficulty`. */
export const parseDifficultyCsv = (text: string, what = 'difficulty CSV') => dailyColumn(text, what, 'Date', 'difficulty');
/** blockchain.com `hash-rate`: `Date,hash-rate`, TH/s. */
export const parseHashrateCsv = (text: string, what = 'hash-rate CSV') => dailyColumn(text, what, 'Date', 'hash-rate');
/** Yahoo Finance daily OHLCV: `Date,Open,High,Low,Close,Volume`; the day's close is used. */
export const parseBtcPriceCsv = (text: string, what = 'BTC price CSV') => dailyColumn(text, what, 'Date', 'Close');
/** Bitcoin Visuals block reward per day: `"DateTime","BTC","USD"` with a byte-order mark; BTC issued that day (fees excluded). */
export const parseBlockSubsidyCsv = (text: string, what = 'block subsidy CSV') => dailyColumn(text, what, 'DateTime', 'BTC');

export interface MiningSeries {
  difficulty: DailySeries;
  btcPrice: DailySeries;
  networkTHs?: DailySeries;
  /** BTC per day in fees, where a source exists. */
  feesBtc?: DailySeries;
}

/**
 * The days present in both the difficulty and the price series, ascending, with hash rate and fees where
 * those series have the day. A day missing from one of the two required series is left out and listed.
 */
export function joinMiningDays(series: MiningSeries): { days: MiningDay[]; missing: string[] } {
  const allDays = [...new Set([...series.difficulty.keys(), ...series.btcPrice.keys()])].sort();
  const days: MiningDay[] = [];
  const missing: string[] = [];
  for (const day of allDays) {
    const difficulty = series.difficulty.get(day);
    const btcPrice = series.btcPrice.get(day);
    if (difficulty === undefined || btcPrice === undefined) {
      missing.push(day);
      continue;
    }
    const networkTHs = series.networkTHs?.get(day);
    const feesBtc = series.feesBtc?.get(day);
    days.push({ day, difficulty, btcPrice, ...(networkTHs !== undefined && { networkTHs }), ...(feesBtc !== undefined && { feesBtc }) });
  }
  return { days, missing };
}

/** Reads the files as published (paths to the difficulty, price and optional hash-rate files) for a backtest. */
export async function loadMiningDays(paths: { difficulty: string; btcPrice: string; hashrate?: string }): Promise<{ days: MiningDay[]; missing: string[] }> {
  const read = async (path: string) => readFile(path, 'utf8');
  return joinMiningDays({
    difficulty: parseDifficultyCsv(await read(paths.difficulty), basename(paths.difficulty)),
    btcPrice: parseBtcPriceCsv(await read(paths.btcPrice), basename(paths.btcPrice)),
    ...(paths.hashrate && { networkTHs: parseHashrateCsv(await read(paths.hashrate), basename(paths.hashrate)) }),
  });
}
