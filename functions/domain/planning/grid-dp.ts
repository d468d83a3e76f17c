import type { CompiledProblem } from './compiled-problem.ts';
import { OUTSIDE_WALL_EUR_PER_K, ValueTable } from './value-table.ts';

/**
 * Backward induction over a temperature grid, then a forward pass with the EXACT room model.
 *
 * W[k](T, m) is the least cost from time k on, having arrived at temperature T with level m drawn in step
 * k − 1, including the comfort penalty of arriving at T:
 *   W[N](T)    = penalty[N−1](T) − terminalValue·(T − T0)
 *   W[k](T, m) = penalty[k−1](T) + min over allowed l of { stage[k][l] + switch·[l ≠ m] + W[k+1](a·T + drift[k] + rise[l], l) }
 * Without a switching penalty W does not depend on m and one row per time index suffices.
 *
 * Speed comes from the structure: a step maps time k's grid affinely onto time k+1's, so grid point i lands
 * at position base[l] + r·i of the next grid — no search, no division — and the loops run over typed
 * arrays without allocating or calling anything. Grids are "aligned" where possible (alignedGrid): then
 * r = 1 and the interpolation weight is the same for every point of a level. Successors that fall outside
 * the next grid read the outer (coarser, wider) table; beyond the last table they continue the edge cell's
 * slope plus a wall (value-table.ts), so a pass trusts its values only where it has them.
 *
 * The forward pass starts at the true initial temperature and, step by step, picks the level minimising
 * stage cost + interpolated W at the exactly simulated next temperature, so the plan it returns is exactly
 * what the room model predicts for it; only the choices rest on the grid's approximation.
 */
export interface GridSpec {
  /** Per time index 0 … N: first grid temperature, spacing and number of points (at least 2). */
  lo: Float64Array;
  h: Float64Array;
  count: Int32Array;
}

/** Reusable buffers (value tables one per pass, a row of minima), so repeated solves do not allocate. */
export interface DpScratch {
  values: Float64Array[];
  best: Float64Array;
}

export const newScratch = (): DpScratch => ({ values: [], best: new Float64Array(0) });

export type Expired = () => boolean;

/** How often (in steps) the backward pass asks whether its time is up. */
const DEADLINE_CHECK_STEPS = 8;

export function backwardPass(
  c: CompiledProblem,
  grid: GridSpec,
  perLevelRows: boolean,
  outer: ValueTable | undefined,
  scratch: DpScratch,
  slot: number,
  expired: Expired,
): ValueTable | undefined {
  const N = c.steps;
  const L = c.levelCount;
  const rows = perLevelRows ? L : 1;
  const table = new ValueTable(N + 1, rows, grid.lo, grid.h, grid.count, scratch.values[slot], outer);
  scratch.values[slot] = table.data;
  const d = table.data;
  let maxCount = 0;
  for (let k = 0; k <= N; k++) if (grid.count[k]! > maxCount) maxCount = grid.count[k]!;
  if (scratch.best.length < maxCount) scratch.best = new Float64Array(maxCount);
  const { best } = scratch;

  // Time N: penalty of the last step's end plus the value of heat left in the room.
  {
    const m = grid.count[N]!;
    const off = table.offset[N]!;
    d.fill(c.terminalEurPerK * c.initialTempC, off, off + m);
    addPenalty(d, off, 1, m, grid.lo[N]!, grid.h[N]!, c.minC[N - 1]!, c.maxC[N - 1]!, c.belowEurPerK, c.aboveEurPerK);
    for (let i = 0; i < m; i++) d[off + i] = d[off + i]! - c.terminalEurPerK * (grid.lo[N]! + i * grid.h[N]!);
    for (let row = 1; row < rows; row++) d.copyWithin(off + row * m, off, off + m);
  }

  const a = c.a;
  for (let k = N - 1; k >= 1; k--) {
    if ((N - k) % DEADLINE_CHECK_STEPS === 0 && expired()) return undefined;
    const mk = grid.count[k]!;
    const lok = grid.lo[k]!;
    const hk = grid.h[k]!;
    const mn = grid.count[k + 1]!;
    const lon = grid.lo[k + 1]!;
    const hn = grid.h[k + 1]!;
    const offN = table.offset[k + 1]!;
    const offK = table.offset[k]!;
    const r = (a * hk) / hn;
    const aligned = Math.abs(r - 1) < 1e-12;
    const top = c.topLevel[k]!;
    const driftK = c.drift[k]!;
    // Where successors outside this grid are read: the outer table's row, or this one extrapolated.
    const od = outer ? outer.data : d;
    const omn = outer ? outer.count[k + 1]! : mn;
    const olo = outer ? outer.lo[k + 1]! : lon;
    const oh = outer ? outer.h[k + 1]! : hn;
    const ooff = outer ? outer.offset[k + 1]! : offN;
    const oPerLevel = outer ? outer.rows > 1 : perLevelRows;
    const or = (a * hk) / oh;
    // Beyond the last table's edge: the trust-region wall, per grid cell of that table.
    const owall = OUTSIDE_WALL_EUR_PER_K * oh;

    if (perLevelRows) best.fill(Infinity, 0, mk);
    else d.fill(Infinity, offK, offK + mk);
    for (let l = 0; l <= top; l++) {
      const e = c.stageEur[k * L + l]!;
      const x0 = a * lok + driftK + c.rise[l]!;
      const base = (x0 - lon) / hn;
      const src = offN + (perLevelRows ? l * mn : 0);
      // With a row per level, level l's values go to its own row first (combineSwitching finishes them).
      const out = d;
      const dst = perLevelRows ? offK + l * mk : offK;
      // Points i in [iA, iB] land inside the next grid (a full cell to their right).
      let iA: number;
      let iB: number;
      let j0 = 0;
      if (aligned) {
        j0 = Math.floor(base);
        iA = Math.max(0, -j0);
        iB = Math.min(mk - 1, mn - 2 - j0);
      } else {
        iA = Math.max(0, Math.ceil(-base / r));
        iB = Math.min(mk - 1, Math.floor((mn - 1 - base) / r));
      }
      if (iA <= iB) {
        if (aligned && perLevelRows) storeAligned(d, src + j0, base - j0, e, out, dst, best, iA, iB);
        else if (aligned) minAligned(d, src + j0, base - j0, e, out, dst, iA, iB);
        else if (perLevelRows) storeClamped(d, src, mn - 2, base, r, 0, e, out, dst, best, iA, iB);
        else minClamped(d, src, mn - 2, base, r, 0, e, out, dst, iA, iB);
      } else {
        iA = mk;
        iB = mk - 1;
      }
      if (iA > 0 || iB < mk - 1) {
        const osrc = ooff + (oPerLevel ? l * omn : 0);
        const obase = (x0 - olo) / oh;
        if (perLevelRows) {
          storeClamped(od, osrc, omn - 2, obase, or, owall, e, out, dst, best, 0, Math.min(iA, mk) - 1);
          storeClamped(od, osrc, omn - 2, obase, or, owall, e, out, dst, best, iB + 1, mk - 1);
        } else {
          minClamped(od, osrc, omn - 2, obase, or, owall, e, out, dst, 0, Math.min(iA, mk) - 1);
          minClamped(od, osrc, omn - 2, obase, or, owall, e, out, dst, iB + 1, mk - 1);
        }
      }
    }

    if (perLevelRows) combineSwitching(c.switchEur, L, top, d, offK, mk, best);
    addPenalty(d, offK, perLevelRows ? L : 1, mk, lok, hk, c.minC[k - 1]!, c.maxC[k - 1]!, c.belowEurPerK, c.aboveEurPerK);
  }
  return table;
}

/*
 * The hot loops, kept monomorphic and free of calls. For grid points iA … iB of time k they interpolate a
 * row of the next time's values at position base + r·i, add the stage cost e, and store the result (one row
 * per level) or keep the minimum. The clamped kernels hold the cell index inside the row, so a position past
 * either end continues the edge cell's slope (linear extrapolation).
 */
function storeAligned(d: Float64Array, s: number, f: number, e: number, out: Float64Array, dst: number, best: Float64Array, iA: number, iB: number): void {
  const g = 1 - f;
  for (let i = iA; i <= iB; i++) {
    const v = e + g * d[s + i]! + f * d[s + i + 1]!;
    out[dst + i] = v;
    if (v < best[i]!) best[i] = v;
  }
}

function minAligned(d: Float64Array, s: number, f: number, e: number, out: Float64Array, dst: number, iA: number, iB: number): void {
  const g = 1 - f;
  for (let i = iA; i <= iB; i++) {
    const v = e + g * d[s + i]! + f * d[s + i + 1]!;
    if (v < out[dst + i]!) out[dst + i] = v;
  }
}

function storeClamped(d: Float64Array, src: number, lastCell: number, base: number, r: number, wall: number, e: number, out: Float64Array, dst: number, best: Float64Array, iA: number, iB: number): void {
  for (let i = iA; i <= iB; i++) {
    const pos = base + r * i;
    // Math.floor is several times slower here than a truncation of a position known to be in range.
    const j = pos <= 0 ? 0 : pos >= lastCell ? lastCell : pos | 0;
    const w0 = d[src + j]!;
    let v = e + w0 + (pos - j) * (d[src + j + 1]! - w0);
    if (pos < 0) v -= wall * pos;
    else if (pos > lastCell + 1) v += wall * (pos - lastCell - 1);
    out[dst + i] = v;
    if (v < best[i]!) best[i] = v;
  }
}

function minClamped(d: Float64Array, src: number, lastCell: number, base: number, r: number, wall: number, e: number, out: Float64Array, dst: number, iA: number, iB: number): void {
  for (let i = iA; i <= iB; i++) {
    const pos = base + r * i;
    // Math.floor is several times slower here than a truncation of a position known to be in range.
    const j = pos <= 0 ? 0 : pos >= lastCell ? lastCell : pos | 0;
    const w0 = d[src + j]!;
    let v = e + w0 + (pos - j) * (d[src + j + 1]! - w0);
    if (pos < 0) v -= wall * pos;
    else if (pos > lastCell + 1) v += wall * (pos - lastCell - 1);
    if (v < out[dst + i]!) out[dst + i] = v;
  }
}

/** Adds the comfort penalty of ending a step at each grid temperature lo + i·h, to each of `rows` rows. */
function addPenalty(d: Float64Array, off: number, rows: number, m: number, lo: number, h: number, minC: number, maxC: number, below: number, above: number): void {
  // Only points outside the band pay: below it i < iMin, above it i > iMax.
  const iMin = Math.min(m, Math.max(0, Math.ceil((minC - lo) / h)));
  const iMax = Math.max(-1, Math.min(m - 1, Math.floor((maxC - lo) / h)));
  for (let row = 0; row < rows; row++) {
    const o = off + row * m;
    for (let i = 0; i < iMin; i++) d[o + i] = d[o + i]! + below * (minC - (lo + i * h));
    for (let i = Math.max(iMax + 1, iMin); i < m; i++) d[o + i] = d[o + i]! + above * (lo + i * h - maxC);
  }
}

/**
 * Rows 0 … top hold each level's value and `best` their minimum; turn them into W[k](T, m) = min(stay on
 * m, best level + switching penalty) for every previous level m (a level above this step's cap must
 * switch). The comfort penalty is added afterwards, only where the band is left.
 */
function combineSwitching(sw: number, L: number, top: number, d: Float64Array, offK: number, mk: number, best: Float64Array): void {
  for (let m = 0; m < L; m++) {
    const o = offK + m * mk;
    if (m <= top) {
      for (let i = 0; i < mk; i++) {
        const move = best[i]! + sw;
        if (d[o + i]! > move) d[o + i] = move;
      }
    } else for (let i = 0; i < mk; i++) d[o + i] = best[i]! + sw;
  }
}

/**
 * The plan the table implies from the true initial temperature, simulated exactly. Writes level indices to
 * `levels` and the temperatures at times 0 … N to `temps`.
 */
export function forwardPass(c: CompiledProblem, table: ValueTable, levels: Int32Array, temps: Float64Array): void {
  const L = c.levelCount;
  const perLevel = table.rows > 1;
  let t = c.initialTempC;
  temps[0] = t;
  let previous = -1;
  for (let k = 0; k < c.steps; k++) {
    const top = c.topLevel[k]!;
    const next = c.a * t + c.drift[k]!;
    let best = Infinity;
    let choice = 0;
    for (let l = 0; l <= top; l++) {
      const switching = previous >= 0 && l !== previous ? c.switchEur : 0;
      const v = c.stageEur[k * L + l]! + switching + table.valueAt(k + 1, perLevel ? l : 0, next + c.rise[l]!);
      if (v < best) {
        best = v;
        choice = l;
      }
    }
    levels[k] = choice;
    t = next + c.rise[choice]!;
    temps[k + 1] = t;
    previous = choice;
  }
}

/** Temperatures reachable at each time index: never heating (lo) and always at the highest allowed level (hi). */
export function reachableRange(c: CompiledProblem): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(c.steps + 1);
  const hi = new Float64Array(c.steps + 1);
  lo[0] = hi[0] = c.initialTempC;
  for (let k = 0; k < c.steps; k++) {
    lo[k + 1] = c.a * lo[k]! + c.drift[k]!;
    hi[k + 1] = c.a * hi[k]! + c.drift[k]! + c.rise[c.topLevel[k]!]!;
  }
  return { lo, hi };
}

/**
 * A grid per time index covering [from[k], to[k]], spacing between `spacing` and ALIGNED_SPREAD·spacing.
 * Going back in time each spacing is the next one divided by a, so a step maps grid onto grid with one
 * interpolation weight for all points (the aligned kernels); when that would grow past the spread, the
 * spacing restarts at `spacing`, and that one step takes the general kernel.
 */
export const ALIGNED_SPREAD = 1.35;

export function alignedGrid(from: Float64Array, to: Float64Array, spacing: number, a: number): GridSpec {
  const n = from.length;
  const grid: GridSpec = { lo: new Float64Array(n), h: new Float64Array(n), count: new Int32Array(n) };
  let h = spacing;
  for (let k = n - 1; k >= 0; k--) {
    if (k < n - 1) {
      h = h / a;
      if (h > ALIGNED_SPREAD * spacing) h = spacing;
    }
    const width = Math.max(0, to[k]! - from[k]!);
    const cells = Math.max(1, Math.ceil(width / h - 1e-9));
    grid.h[k] = h;
    grid.count[k] = cells + 1;
    // Centred on the span, so a span narrower than one cell still sits inside the grid.
    grid.lo[k] = (from[k]! + to[k]!) / 2 - (cells * h) / 2;
  }
  return grid;
}
