/**
 * Quasi-Newton (BFGS) minimisation of a smooth function of a few variables, with central-difference
 * gradients and a backtracking line search: enough for the five parameters of a room fit, with no
 * dependency. Also a finite-difference Hessian, for standard errors at the optimum.
 */
export type Objective = (x: Float64Array) => number;

export interface Minimum {
  x: Float64Array;
  value: number;
  iterations: number;
}

const DIFF_STEP = 1e-4;

export function gradient(f: Objective, x: Float64Array, h = DIFF_STEP): Float64Array {
  const g = new Float64Array(x.length);
  const y = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    y[i] = x[i]! + h;
    const up = f(y);
    y[i] = x[i]! - h;
    const down = f(y);
    y[i] = x[i]!;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

export function minimize(f: Objective, start: Float64Array, maxIterations = 200, tolerance = 1e-9): Minimum {
  const n = start.length;
  let x = Float64Array.from(start);
  let fx = f(x);
  let g = gradient(f, x);
  // Inverse Hessian approximation, starting from the identity.
  let Hinv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Hinv[i * n + i] = 1;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i] = d[i]! - Hinv[i * n + j]! * g[j]!;
    let slope = dot(d, g);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      Hinv = new Float64Array(n * n);
      for (let i = 0; i < n; i++) Hinv[i * n + i] = 1;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(d, g);
    }
    let step = 1;
    let xNew = new Float64Array(n);
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = f(xNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNew < fx)) break;
    const gNew = gradient(f, xNew);
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      yv[i] = gNew[i]! - g[i]!;
    }
    const improvement = fx - fNew;
    x = xNew;
    fx = fNew;
    g = gNew;
    xNew = new Float64Array(n);
    if (improvement < tolerance * Math.max(1, Math.abs(fx))) break;
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      // Hinv ← (I − ρ s yᵀ) Hinv (I − ρ y sᵀ) + ρ s sᵀ
      const rho = 1 / sy;
      const Hy = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Hy[i] = Hy[i]! + Hinv[i * n + j]! * yv[j]!;
      const yHy = dot(yv, Hy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          Hinv[i * n + j] = Hinv[i * n + j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
        }
      }
    }
  }
  return { x, value: fx, iterations };
}

/** Finite-difference Hessian (row-major). */
export function hessian(f: Objective, x: Float64Array, h = 1e-3): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const y = Float64Array.from(x);
  const at = (i: number, di: number, j: number, dj: number) => {
    y[i] = y[i]! + di;
    y[j] = y[j]! + dj;
    const v = f(y);
    y.set(x);
    return v;
  };
  const f0 = f(x);
  for (let i = 0; i < n; i++) {
    H[i * n + i] = (at(i, h, i, 0) - 2 * f0 + at(i, -h, i, 0)) / (h * h);
    for (let j = 0; j < i; j++) {
      const v = (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}
