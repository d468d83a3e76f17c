/**
 * The value function of a backward-induction DP, tabulated on a uniform temperature grid per time index:
 * at time k (the start of step k, k = 0 … N) the grid is lo[k] + i·h[k], i = 0 … count[k] − 1. With a
 * switching penalty the value also depends on the level drawn in the step before, so a time index holds one
 * row per level (`rows` = level count); without one, a single row.
 *
 * Between grid points values are interpolated linearly. Beyond a grid's ends they come from `outer` (a
 * coarser table covering more temperatures) when there is one, else from a straight line continuing the
 * edge cell's slope plus OUTSIDE_WALL_EUR_PER_K per K beyond the edge. The wall makes a grid a trust region:
 * a plan may still leave it (nothing is infeasible), but straight-line extrapolation underestimates a convex
 * value, and without the wall the forward pass would chase that error out of the band where the values are
 * known. (grid-dp.ts's kernels read tables the same way.)
 */
export const OUTSIDE_WALL_EUR_PER_K = 0.1;

export class ValueTable {
  readonly lo: Float64Array;
  readonly h: Float64Array;
  readonly count: Int32Array;
  /** Where time index k's rows start in `data`. */
  readonly offset: Int32Array;
  readonly data: Float64Array;
  private readonly inverseH: Float64Array;

  constructor(
    readonly times: number,
    readonly rows: number,
    lo: Float64Array,
    h: Float64Array,
    count: Int32Array,
    scratch: Float64Array | undefined,
    readonly outer?: ValueTable,
  ) {
    this.lo = lo;
    this.h = h;
    this.count = count;
    this.offset = new Int32Array(times);
    this.inverseH = h.map((x) => 1 / x);
    let total = 0;
    for (let k = 0; k < times; k++) {
      this.offset[k] = total;
      total += count[k]! * rows;
    }
    // Reusing a caller's buffer keeps a solve from allocating megabytes that the GC then has to reclaim.
    this.data = scratch && scratch.length >= total ? scratch : new Float64Array(total);
  }

  /** Value at time k, row `row`, temperature x. */
  valueAt(k: number, row: number, x: number): number {
    const m = this.count[k]!;
    const pos = (x - this.lo[k]!) * this.inverseH[k]!;
    if (this.outer && (pos < 0 || pos > m - 1)) return this.outer.valueAt(k, row < this.outer.rows ? row : 0, x);
    const start = this.offset[k]! + row * m;
    let j = Math.floor(pos);
    if (j > m - 2) j = m - 2;
    if (j < 0) j = 0;
    const w0 = this.data[start + j]!;
    const v = w0 + (pos - j) * (this.data[start + j + 1]! - w0);
    const beyond = pos < 0 ? -pos : pos > m - 1 ? pos - (m - 1) : 0;
    return v + OUTSIDE_WALL_EUR_PER_K * beyond * this.h[k]!;
  }
}
