import highsModule, { type Highs } from 'highs';
import { compileProblem, type CompiledProblem } from '../../functions/domain/planning/compiled-problem.ts';
import type { PlanningProblem } from '../../schemas/planning-problem.ts';

/**
 * The planning problem as a HiGHS model: the reference the DP planner is measured against in tests and
 * benchmarks (HiGHS is a dev dependency and never reaches a Lambda bundle).
 *
 * Columns, per step k (levels l = 0 … top[k] allowed by the cap, off included):
 *   x[k][l] ∈ {0,1} (MILP) or [0,1] (LP: the levels as a convex combination) with Σ_l x[k][l] = 1,
 *   T[k+1] free, under[k] ≥ 0, over[k] ≥ 0, and with a switching penalty s[k][l] ≥ x[k][l] − x[k−1][l]
 *   (a switch turns exactly one level off and another on, so Σ_l s[k][l] counts it once).
 * Rows: T[k+1] − a·T[k] − Σ_l rise[l]·x[k][l] = drift[k];  T[k+1] + under[k] ≥ minC[k];  T[k+1] − over[k] ≤ maxC[k].
 * Objective: Σ stage[k][l]·x + below·under + above·over + switch·Σ s − terminal·(T[N] − T0).
 */
export type ReferenceKind = 'lp' | 'milp';

export interface ReferenceResult {
  /** HiGHS model status name: Optimal, Time limit reached, … */
  status: string;
  optimal: boolean;
  objectiveEur: number;
  /** MILP: the best bound proven (equals the objective when optimal); LP: the objective. */
  boundEur: number;
  /** MILP: the plan's power per step. */
  powerW?: number[];
  ms: number;
}

// highs ships ESM at runtime but CommonJS-flavoured types, so TypeScript sees the module where Node gives the loader.
type Loader = () => Promise<Highs>;
const loadHighs = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as unknown as Loader;

let loaded: Promise<Highs> | undefined;
export const highs = (): Promise<Highs> => (loaded ??= loadHighs());

const STATUS: Record<number, string> = { 7: 'Optimal', 8: 'Infeasible', 13: 'Time limit reached', 14: 'Iteration limit reached' };

interface Column {
  cost: number;
  lower: number;
  upper: number;
  integer: boolean;
}

/** Builds the model in CSR form (rows appended one by one). */
function buildModel(c: CompiledProblem, kind: ReferenceKind, infinity: number, incremental = false) {
  const N = c.steps;
  const L = c.levelCount;
  const cols: Column[] = [];
  const addCol = (cost: number, lower: number, upper: number, integer: boolean) => cols.push({ cost, lower, upper, integer }) - 1;
  const x: number[][] = [];
  const temp: number[] = [];
  const under: number[] = [];
  const over: number[] = [];
  for (let k = 0; k < N; k++) {
    const row: number[] = [];
    if (incremental) {
      // y[k][j] = "at least level j", j ≥ 1; its cost and rise are the increments over level j − 1.
      for (let l = 1; l <= c.topLevel[k]!; l++) row.push(addCol(c.stageEur[k * L + l]! - c.stageEur[k * L + l - 1]!, 0, 1, kind === 'milp'));
    } else for (let l = 0; l <= c.topLevel[k]!; l++) row.push(addCol(c.stageEur[k * L + l]!, 0, 1, kind === 'milp'));
    x.push(row);
    temp.push(addCol(k === N - 1 ? -c.terminalEurPerK : 0, -infinity, infinity, false));
    under.push(addCol(c.belowEurPerK, 0, infinity, false));
    over.push(addCol(c.aboveEurPerK, 0, infinity, false));
  }
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const addRow = (entries: [number, number][], lower: number, upper: number) => {
    for (const [j, v] of entries) {
      indices.push(j);
      values.push(v);
    }
    starts.push(indices.length);
    rowLower.push(lower);
    rowUpper.push(upper);
  };
  let offset = 0;
  for (let k = 0; k < N; k++) {
    if (incremental) {
      offset += c.stageEur[k * L]!;
      for (let j = 1; j < x[k]!.length; j++) addRow([[x[k]![j - 1]!, 1], [x[k]![j]!, -1]], 0, infinity);
    } else addRow(
      x[k]!.map((j) => [j, 1] as [number, number]),
      1,
      1,
    );
    const dynamics: [number, number][] = [[temp[k]!, 1]];
    let rhs = c.drift[k]!;
    if (k === 0) rhs += c.a * c.initialTempC;
    else dynamics.push([temp[k - 1]!, -c.a]);
    x[k]!.forEach((j, l) => {
      const rise = incremental ? c.rise[l + 1]! - c.rise[l]! : c.rise[l]!;
      if (rise !== 0) dynamics.push([j, -rise]);
    });
    addRow(dynamics, rhs, rhs);
    addRow([[temp[k]!, 1], [under[k]!, 1]], c.minC[k]!, infinity);
    addRow([[temp[k]!, 1], [over[k]!, -1]], -infinity, c.maxC[k]!);
    if (c.switchEur > 0 && k > 0 && incremental) {
      const s = addCol(c.switchEur, 0, 1, false);
      for (let j = 0; j < Math.max(x[k]!.length, x[k - 1]!.length); j++) {
        const now = x[k]![j];
        const before = x[k - 1]![j];
        if (now !== undefined) addRow(before === undefined ? [[s, 1], [now, -1]] : [[s, 1], [now, -1], [before, 1]], 0, infinity);
        if (before !== undefined) addRow(now === undefined ? [[s, 1], [before, -1]] : [[s, 1], [before, -1], [now, 1]], 0, infinity);
      }
    } else if (c.switchEur > 0 && k > 0) {
      for (let l = 0; l < L; l++) {
        const now = x[k]![l];
        const before = x[k - 1]![l];
        if (now === undefined) continue;
        const s = addCol(c.switchEur, 0, infinity, false);
        addRow(before === undefined ? [[s, 1], [now, -1]] : [[s, 1], [now, -1], [before, 1]], 0, infinity);
      }
    }
  }
  return { cols, starts, indices, values, rowLower, rowUpper, x, offset };
}

export async function solveReference(
  problem: PlanningProblem,
  kind: ReferenceKind,
  options: { timeLimitS?: number; priceAdderEurPerKWh?: readonly number[]; incremental?: boolean } = {},
): Promise<ReferenceResult> {
  const h = await highs();
  const started = performance.now();
  const c = compileProblem(problem, { priceAdderEurPerKWh: options.priceAdderEurPerKWh });
  const incremental = kind === 'milp' && (options.incremental ?? false);
  const m = buildModel(c, kind, h.infinity, incremental);
  const model = h.createModel({
    numCols: m.cols.length,
    numRows: m.rowLower.length,
    offset: c.terminalEurPerK * c.initialTempC + m.offset,
    colCost: m.cols.map((col) => col.cost),
    colLower: m.cols.map((col) => col.lower),
    colUpper: m.cols.map((col) => col.upper),
    rowLower: m.rowLower,
    rowUpper: m.rowUpper,
    matrix: { format: 'csr', numRows: m.rowLower.length, numCols: m.cols.length, starts: m.starts, indices: m.indices, values: m.values },
    ...(kind === 'milp' ? { integrality: m.cols.map((col) => (col.integer ? 1 : 0) as 0 | 1) } : {}),
  });
  try {
    model.options.set({ output_flag: false, ...(options.timeLimitS ? { time_limit: options.timeLimitS } : {}) });
    model.run();
    const code = model.getModelStatus();
    const status = STATUS[code] ?? `status ${code}`;
    const objectiveEur = model.getObjectiveValue();
    if (kind === 'lp') return { status, optimal: code === 7, objectiveEur, boundEur: objectiveEur, ms: performance.now() - started };
    const colValue = model.getSolution().colValue;
    const powerW = m.x.map((row) => {
      if (incremental) return c.powerW[row.filter((j) => colValue[j]! > 0.5).length]!;
      let best = 0;
      row.forEach((j, l) => {
        if (colValue[j]! > colValue[row[best]!]!) best = l;
      });
      return c.powerW[best]!;
    });
    const boundEur = Number(model.info.get('mip_dual_bound'));
    return { status, optimal: code === 7, objectiveEur, boundEur, powerW, ms: performance.now() - started };
  } finally {
    model.dispose();
  }
}
