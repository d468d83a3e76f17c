import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBlockSubsidyCsv, parseBtcPriceCsv, parseDifficultyCsv, parseHashrateCsv } from '../../functions/adapters/bitcoin/mining-csv.ts';
import { hashprice } from '../../functions/domain/compute-revenue/hashprice.ts';
import { DAY_MS, utcDay } from '../../functions/domain/market/time.ts';

/**
 * Where a backtest's compute revenue comes from:
 * - `fleet`: each device's own constant revenue per kWh of compute (the fleet generator's, from the
 *   hashprice of the sample weeks and the device's chip efficiency);
 * - `constant`: one EUR per kWh of compute for every device (`--revenue`);
 * - `bitcoin`: the daily hashprice from the network files of `--bitcoin DIR`, converted per device with
 *   its chip efficiency (J/TH) at a fixed USD per EUR. Hashprice = the day's block subsidy in USD (BTC
 *   issued × the day's close) ÷ the network hash rate in TH/s, i.e. USD per TH/s per day; fees are not in
 *   the files, so this underestimates by their share (2–20 % in 2022–23). Without subsidy and hash-rate
 *   files the difficulty-based hashprice (functions/domain/compute-revenue/hashprice.ts) is used.
 *
 * Honesty: a day's hashprice is only known once the day is over, so a plan uses the last complete day's
 * value for its whole horizon; the bill uses each day's own.
 */
export type RevenueSource =
  | { kind: 'fleet' }
  | { kind: 'constant'; eurPerKWh: number }
  | { kind: 'bitcoin'; usdPerThsDay: Map<string, number>; usdPerEur: number; formula: string };

/** 1.075 USD per EUR: the early-2023 rate the fleet generator assumes (local/fleet/generate-fleet.ts). */
export const DEFAULT_USD_PER_EUR = 1.075;

async function findFile(dir: string, prefix: string): Promise<string | undefined> {
  const name = (await readdir(dir)).filter((f) => f.startsWith(prefix) && f.endsWith('.csv')).sort()[0];
  return name ? join(dir, name) : undefined;
}

export async function loadBitcoinRevenue(dir: string, usdPerEur: number): Promise<RevenueSource> {
  let files: { subsidy?: string; hashrate?: string; price?: string; difficulty?: string };
  try {
    files = {
      subsidy: await findFile(dir, 'block-subsidy'),
      hashrate: await findFile(dir, 'hashrate'),
      price: await findFile(dir, 'btc-usd'),
      difficulty: await findFile(dir, 'difficulty'),
    };
  } catch (e) {
    throw new Error(`cannot read the bitcoin folder ${dir}: ${(e as Error).message}`);
  }
  const read = async (path: string) => readFile(path, 'utf8');
  if (!files.price) throw new Error(`${dir} has no btc-usd*.csv (daily BTC price)`);
  const price = parseBtcPriceCsv(await read(files.price), files.price);
  const usdPerThsDay = new Map<string, number>();
  if (files.subsidy && files.hashrate) {
    const subsidyBtc = parseBlockSubsidyCsv(await read(files.subsidy), files.subsidy);
    const hashrate = parseHashrateCsv(await read(files.hashrate), files.hashrate);
    for (const [day, btc] of subsidyBtc) {
      const close = price.get(day);
      const ths = hashrate.get(day);
      if (close !== undefined && ths !== undefined && ths > 0) usdPerThsDay.set(day, (btc * close) / ths);
    }
    if (usdPerThsDay.size === 0) throw new Error(`${dir}: the subsidy, hash-rate and price files share no day`);
    return { kind: 'bitcoin', usdPerThsDay, usdPerEur, formula: 'subsidy USD per day ÷ hash rate TH/s' };
  }
  if (!files.difficulty) throw new Error(`${dir} needs block-subsidy*.csv and hashrate*.csv, or difficulty*.csv`);
  const difficulty = parseDifficultyCsv(await read(files.difficulty), files.difficulty);
  for (const [day, d] of difficulty) {
    const close = price.get(day);
    if (close !== undefined) usdPerThsDay.set(day, hashprice({ day, difficulty: d, btcPrice: close }).total);
  }
  if (usdPerThsDay.size === 0) throw new Error(`${dir}: the difficulty and price files share no day`);
  return { kind: 'bitcoin', usdPerThsDay, usdPerEur, formula: 'difficulty-based subsidy hashprice' };
}

/** A device's revenue per kWh of compute: what it really earned on a day, and what it knew at plan time. */
export interface DeviceRevenue {
  actual(ms: number): number;
  knownAt(ms: number): number;
}

/** The value of the latest day at or before `day` within a week; else the earliest day there is. */
function dayValue(series: Map<string, number>, ms: number): number {
  for (let k = 0; k < 7; k++) {
    const v = series.get(utcDay(ms - k * DAY_MS));
    if (v !== undefined) return v;
  }
  const days = [...series.keys()].sort();
  const target = utcDay(ms);
  const nearest = target < days[0]! ? days[0]! : days[days.length - 1]!;
  return series.get(nearest)!;
}

export function deviceRevenue(source: RevenueSource, device: { fleetRevenueEurPerKWh: number; efficiencyJPerTH: number }): DeviceRevenue {
  switch (source.kind) {
    case 'fleet':
      return { actual: () => device.fleetRevenueEurPerKWh, knownAt: () => device.fleetRevenueEurPerKWh };
    case 'constant':
      return { actual: () => source.eurPerKWh, knownAt: () => source.eurPerKWh };
    case 'bitcoin': {
      // One TH/s for a day draws efficiency × 24 / 1000 kWh.
      const perKWh = (usd: number) => usd / ((device.efficiencyJPerTH * 24) / 1000) / source.usdPerEur;
      return { actual: (ms) => perKWh(dayValue(source.usdPerThsDay, ms)), knownAt: (ms) => perKWh(dayValue(source.usdPerThsDay, ms - DAY_MS)) };
    }
  }
}
