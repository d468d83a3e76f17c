import type { ComputeRevenueCurve } from '../../../schemas/compute-revenue.ts';
import { DAY_MS, MINUTE_MS, toInstant, utcDayStartMs } from '../market/time.ts';
import { TARGET_BLOCKS_PER_DAY, meanSubsidyBtc } from './block-subsidy.ts';

/** One UTC day of the network, as the bitcoin CSVs (or a live feed) give it. */
export interface MiningDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** Network difficulty that day (dimensionless). */
  difficulty: number;
  /** Price of one BTC in `priceCurrency` (USD from the usual feeds). */
  btcPrice: number;
  /** Network hash rate, TH/s: with difficulty it gives the day's expected block count. */
  networkTHs?: number;
  /** Transaction fees paid to miners that day, BTC, where known. */
  feesBtc?: number;
  /** Subsidy per block, BTC, where known (e.g. BTC/day from the subsidy CSV ÷ blocks that day); else from the halving schedule. */
  subsidyBtcPerBlock?: number;
}

/** Hashes per difficulty-1 block: a block at difficulty D takes D × 2³² hashes on average. */
const HASHES_PER_DIFFICULTY = 2 ** 32;
const SECONDS_PER_DAY = 86_400;

/** Expected blocks per day: from hash rate and difficulty when the hash rate is known, else the 144 the difficulty aims at. */
export function blocksPerDay(day: Pick<MiningDay, 'difficulty' | 'networkTHs'>): number {
  if (day.networkTHs === undefined) return TARGET_BLOCKS_PER_DAY;
  return (day.networkTHs * 1e12 * SECONDS_PER_DAY) / (day.difficulty * HASHES_PER_DIFFICULTY);
}

export interface Hashprice {
  /** Revenue of 1 TH/s for one day, in the BTC price's currency: subsidy part, fee part, total. */
  subsidy: number;
  fees: number;
  total: number;
}

/**
 * Hashprice: what 1 TH/s earns in a day. One TH/s finds 10¹² × 86,400 / (D × 2³²) blocks a day on average,
 * whatever the network's hash rate; each pays the subsidy plus that day's fees per block (fees per day ÷
 * blocks per day). Fees are optional: without them this is the subsidy-only hashprice, which underestimates
 * by the fee share (2–20 % in 2022–2023).
 */
export function hashprice(day: MiningDay): Hashprice {
  if (!(day.difficulty > 0) || !(day.btcPrice >= 0)) throw new RangeError(`${day.day}: difficulty must be > 0 and price ≥ 0`);
  const blocksPerTHsDay = (1e12 * SECONDS_PER_DAY) / (day.difficulty * HASHES_PER_DIFFICULTY);
  const dayStart = utcDayStartMs(day.day);
  const subsidyBtc = day.subsidyBtcPerBlock ?? meanSubsidyBtc(dayStart, dayStart + DAY_MS);
  const feeBtcPerBlock = day.feesBtc === undefined ? 0 : day.feesBtc / blocksPerDay(day);
  const subsidy = blocksPerTHsDay * subsidyBtc * day.btcPrice;
  const fees = blocksPerTHsDay * feeBtcPerBlock * day.btcPrice;
  return { subsidy, fees, total: subsidy + fees };
}

export interface BitcoinRevenueOptions {
  /** The device's miner efficiency, J/TH (= W per TH/s); e.g. 30 for an Antminer S19-class chip. */
  efficiencyJPerTH: number;
  /** The curve's currency and the rate into it: units of `currency` per unit of the BTC price's currency (e.g. 0.92 EUR per USD). */
  currency: string;
  perPriceCurrencyUnit: number;
  /** The mining pool's fee share (FPPS pools take 2–4 %). */
  poolFeeRate?: number;
  /** 1440 (one point per day, the data's own resolution) or a planner step. */
  resolutionMinutes?: 15 | 60 | 1440;
}

/**
 * Revenue per kWh of a device's compute power: hashprice ÷ the energy 1 TH/s draws in a day
 * (efficiency J/TH × 24 h / 1000 = kWh per TH/s-day), net of the pool fee, converted to `currency`.
 */
export function revenuePerKWh(h: Hashprice, options: BitcoinRevenueOptions): number {
  if (!(options.efficiencyJPerTH > 0)) throw new RangeError(`efficiency must be > 0 J/TH; got ${options.efficiencyJPerTH}`);
  const kWhPerTHsDay = (options.efficiencyJPerTH * 24) / 1000;
  return ((h.total * (1 - (options.poolFeeRate ?? 0))) / kWhPerTHsDay) * options.perPriceCurrencyUnit;
}

/** The days' bitcoin revenue per kWh as a `ComputeRevenueCurve`, each day's value held over its UTC day. */
export function bitcoinRevenueCurve(days: readonly MiningDay[], options: BitcoinRevenueOptions): ComputeRevenueCurve {
  if (days.length === 0) throw new Error('no mining days to build a revenue curve from');
  const resolutionMinutes = options.resolutionMinutes ?? 1440;
  const sorted = [...days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.day === sorted[i - 1]!.day) throw new Error(`mining day ${sorted[i]!.day} is given twice`);
  const perDay = (24 * 60) / resolutionMinutes;
  const points = sorted.flatMap((d) => {
    const perKWh = revenuePerKWh(hashprice(d), options);
    const start = utcDayStartMs(d.day);
    return Array.from({ length: perDay }, (_, k) => ({ start: toInstant(start + k * resolutionMinutes * MINUTE_MS), perKWh }));
  });
  return { kind: 'bitcoin', currency: options.currency, resolutionMinutes, points };
}
