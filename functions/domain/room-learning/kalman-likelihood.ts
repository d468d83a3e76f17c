import type { SampleSegment } from './room-samples.ts';

/**
 * The room as a stochastic grey box: the exact 1R1C step (room-model.ts) plus process noise, observed by a
 * noisy thermometer,
 *   T[k+1] = a·T[k] + (1 − a)·T_out[k] + b·(P[k] + Q) + w[k],   w ~ N(0, σw²·Δt)   (heat the model does not know of)
 *   y[k]   = T[k] + v[k],                                          v ~ N(0, σv²)      (sensor noise and rounding)
 * A scalar Kalman filter turns the measurements into one-step innovations e[k] with variances S[k], and
 *   −log L = ½ Σ (ln 2πS[k] + e[k]²/S[k])
 * is what the fit minimises. Both noises are estimated, which is what keeps the estimate unbiased when the
 * heater's thermostat reacts to the room (closed loop) and when the thermometer is noisy; each segment
 * starts from its first measurement.
 */
export interface GreyBoxParameters {
  uaWPerK: number;
  capacityKWhPerK: number;
  otherHeatW: number;
  /** Process noise, K per √h. */
  processSdK: number;
  /** Measurement noise, K. */
  measurementSdK: number;
}

/** Runs the filter through every segment and hands each innovation e and its variance S to `visit`. */
export function filterInnovations(p: GreyBoxParameters, segments: readonly SampleSegment[], visit: (e: number, s: number) => void): void {
  const u = p.uaWPerK / 1000;
  const r = p.measurementSdK ** 2;
  const q = p.processSdK ** 2;
  for (const segment of segments) {
    let x = segment.roomC[0]!;
    let v = r;
    segment.intervals.forEach((iv, i) => {
      const a = Math.exp((-u * iv.hours) / p.capacityKWhPerK);
      const b = (1 - a) / u;
      x = a * x + (1 - a) * iv.outdoorC + (b * (iv.powerW + p.otherHeatW)) / 1000;
      v = a * a * v + q * iv.hours;
      const s = v + r;
      const e = segment.roomC[i + 1]! - x;
      visit(e, s);
      const gain = v / s;
      x += gain * e;
      v *= 1 - gain;
    });
  }
}

export function negativeLogLikelihood(p: GreyBoxParameters, segments: readonly SampleSegment[]): number {
  let nll = 0;
  filterInnovations(p, segments, (e, s) => {
    nll += 0.5 * (Math.log(2 * Math.PI * s) + (e * e) / s);
  });
  return nll;
}
