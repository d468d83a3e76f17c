import { DAY_MS } from '../market/time.ts';

/** Consensus rules: 50 BTC per block at first, halved (in whole satoshis, rounding down) every 210,000 blocks. */
export const HALVING_INTERVAL = 210_000;
const INITIAL_SUBSIDY_SATS = 50 * 100_000_000;
const SATS_PER_BTC = 100_000_000;
/** Ten-minute blocks on average: the difficulty adjustment's target. */
export const TARGET_BLOCKS_PER_DAY = 144;

/** The block subsidy at `height`, BTC (fees not included). Zero after the 64th halving, as the shift rule gives. */
export function blockSubsidyBtc(height: number): number {
  if (!Number.isInteger(height) || height < 0) throw new RangeError(`block height must be a whole number ≥ 0; got ${height}`);
  const halvings = Math.floor(height / HALVING_INTERVAL);
  if (halvings >= 64) return 0;
  return Math.floor(INITIAL_SUBSIDY_SATS / 2 ** halvings) / SATS_PER_BTC;
}

/**
 * Known (height, time) anchors: genesis and the four halvings so far (block timestamps). Between anchors the
 * height is interpolated, past the last one extrapolated at 144 blocks a day; near a FUTURE halving that
 * estimate can be days off, which moves the halving day's subsidy, so pass real heights where known.
 */
export const HEIGHT_ANCHORS: readonly { height: number; atMs: number }[] = [
  { height: 0, atMs: Date.parse('2009-01-03T18:15:05Z') },
  { height: 210_000, atMs: Date.parse('2012-11-28T15:24:38Z') },
  { height: 420_000, atMs: Date.parse('2016-07-09T16:46:13Z') },
  { height: 630_000, atMs: Date.parse('2020-05-11T19:23:43Z') },
  { height: 840_000, atMs: Date.parse('2024-04-20T00:09:27Z') },
];

/** Estimated chain height at an instant (see HEIGHT_ANCHORS). */
export function estimatedHeight(ms: number): number {
  const anchors = HEIGHT_ANCHORS;
  if (ms <= anchors[0]!.atMs) return 0;
  for (let i = 1; i < anchors.length; i++) {
    const [a, b] = [anchors[i - 1]!, anchors[i]!];
    if (ms < b.atMs) return Math.floor(a.height + ((b.height - a.height) * (ms - a.atMs)) / (b.atMs - a.atMs));
  }
  const last = anchors[anchors.length - 1]!;
  return Math.floor(last.height + ((ms - last.atMs) / DAY_MS) * TARGET_BLOCKS_PER_DAY);
}

/**
 * The mean subsidy per block over [fromMs, toMs): on a halving day, blocks before the halving height earn the
 * old subsidy and blocks after it the new one, in proportion.
 */
export function meanSubsidyBtc(fromMs: number, toMs: number): number {
  const first = estimatedHeight(fromMs);
  const last = Math.max(first + 1, estimatedHeight(toMs));
  const boundary = (Math.floor(first / HALVING_INTERVAL) + 1) * HALVING_INTERVAL;
  if (boundary >= last) return blockSubsidyBtc(first);
  const before = boundary - first;
  return (before * blockSubsidyBtc(first) + (last - boundary) * blockSubsidyBtc(boundary)) / (last - first);
}
