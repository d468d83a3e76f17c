import type { CompiledProblem } from './compiled-problem.ts';

/**
 * Where each DP pass puts its grid, per time index: the first pass over the economic window (the comfort
 * band's range plus margins, more above it when running hot earns money), later passes in a band around the
 * previous pass's trajectory — both within the temperatures reachable at all.
 *
 * How far below the band's lowest minimum and above its highest maximum the first pass's grid reaches, K.
 */
const MARGIN_BELOW_K = 2;
const MARGIN_ABOVE_K = 2;
/** Extra room above the band when running hot earns money (compute revenue above the price), at most this. */
const MAX_PROFIT_MARGIN_K = 6;

export type Range = { from: Float64Array; to: Float64Array };

/** The first pass's temperature window: the band's range plus margins, within what is reachable each step. */
export function windowRange(c: CompiledProblem, reach: { lo: Float64Array; hi: Float64Array }): Range {
  let bandLo = c.initialTempC;
  let bandHi = c.initialTempC;
  let bestProfitEurPerH = 0;
  const L = c.levelCount;
  for (let k = 0; k < c.steps; k++) {
    bandLo = Math.min(bandLo, c.minC[k]!);
    bandHi = Math.max(bandHi, c.maxC[k]!);
    for (let l = 0; l <= c.topLevel[k]!; l++) bestProfitEurPerH = Math.max(bestProfitEurPerH, -c.stageEur[k * L + l]! / c.stepHours);
  }
  // Heat that earns money is worth running past the band's top until the overheating penalty eats the profit.
  const aboveEurPerKh = c.aboveEurPerK / c.stepHours;
  const profitMargin = aboveEurPerKh > 0 ? Math.min(MAX_PROFIT_MARGIN_K, bestProfitEurPerH / aboveEurPerKh) : MAX_PROFIT_MARGIN_K;
  const lowEdge = bandLo - MARGIN_BELOW_K;
  const highEdge = bandHi + MARGIN_ABOVE_K + profitMargin;
  const n = c.steps + 1;
  const range: Range = { from: new Float64Array(n), to: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    range.from[k] = Math.min(Math.max(lowEdge, reach.lo[k]!), reach.hi[k]!);
    range.to[k] = Math.max(Math.min(highEdge, reach.hi[k]!), reach.lo[k]!);
  }
  return range;
}

export function tubeRange(temps: Float64Array, reach: { lo: Float64Array; hi: Float64Array }, halfWidth: number): Range {
  const n = temps.length;
  const range: Range = { from: new Float64Array(n), to: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    range.from[k] = Math.max(temps[k]! - halfWidth, reach.lo[k]!);
    range.to[k] = Math.min(temps[k]! + halfWidth, reach.hi[k]!);
  }
  return range;
}
