import type { RoomFit } from './fit-room-model.ts';

/** Relative tolerance the confidence figure is about: the planner is fine with a room known to ±10 %. */
export const TOLERANCE = 0.1;
/** Other heat is small next to the loss, so it is judged to ±10 % or ±20 W, whichever is wider. */
const OTHER_HEAT_TOLERANCE_W = 20;

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): enough for a confidence figure. */
export function erf(x: number): number {
  const sign = Math.sign(x);
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return sign * y;
}

/** Probability that an estimate with this (Gaussian) standard error lies within ±tolerance of the truth. */
const within = (tolerance: number, sd: number) => (sd > 0 ? erf(tolerance / (sd * Math.SQRT2)) : 1);

/**
 * The confidence figure of a fit: the (approximate, posterior) probability that UA, C and the other heat all
 * lie within tolerance of the truth — the smallest of the three. UA and C errors are relative (the fit works
 * in logs, so ln 1.1 is the ±10 % bound).
 */
export function fitConfidence(fit: RoomFit): number {
  const logTolerance = Math.log(1 + TOLERANCE);
  const otherTolerance = Math.max(TOLERANCE * fit.room.otherHeatW, OTHER_HEAT_TOLERANCE_W);
  return Math.min(within(logTolerance, fit.stdErr.uaRel), within(logTolerance, fit.stdErr.capacityRel), within(otherTolerance, fit.stdErr.otherHeatW));
}
