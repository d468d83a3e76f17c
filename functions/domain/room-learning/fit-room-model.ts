import type { RoomModel } from '../../../schemas/device.ts';
import { inverseDiagonal } from './dense-solve.ts';
import { negativeLogLikelihood, type GreyBoxParameters } from './kalman-likelihood.ts';
import { hessian, minimize } from './minimize.ts';
import { segmentSamples, type RoomSample } from './room-samples.ts';

/**
 * Fits the 1R1C room (UA, C, other heat Q) to telemetry: maximum a posteriori under the Kalman-filter
 * likelihood of kalman-likelihood.ts (process and measurement noise estimated alongside), with a Gaussian
 * prior per room parameter, so that a few hours of data move the estimate only a little from the prior.
 *
 * Why not plain least squares on T[k+1] = a·T[k] + …: the room's time constant (≈ 30 h) is long against a
 * 15-minute sample, so 1 − a ≈ 0.008 and a thermometer's noise in the regressor T[k] biases a towards 1 —
 * at 0.1 K noise UA comes out tens of percent low. Simulating the model (output error) fixes that but is
 * biased in turn by heat the model does not know of, because the heater reacts to the room (closed loop).
 * The likelihood weighs both noises as they are.
 *
 * Parameters are optimised as x = (ln UA, ln C, Q/100 W, ln σw, ln σv) by BFGS, clamped into plausible
 * bounds; standard errors come from the finite-difference Hessian of the posterior at the optimum.
 */
export interface RoomPrior extends RoomModel {
  /** Prior spread of ln UA and ln C (0.3 ≈ ±30 %), and of other heat in W. */
  uaRelSd: number;
  capacityRelSd: number;
  otherHeatSdW: number;
}

export interface RoomFit {
  room: RoomModel;
  /** One standard error: relative for UA and C, in W for other heat. */
  stdErr: { uaRel: number; capacityRel: number; otherHeatW: number };
  /** Estimated noises: unexplained heat as K per √h, and the thermometer's K. */
  processSdK: number;
  measurementSdK: number;
  /** Hours of sample intervals used. */
  hours: number;
  iterations: number;
}

export interface FitOptions {
  /** Samples are cut into segments at gaps and at this length (the filter restarts at each). */
  segmentHours?: number;
  maxIterations?: number;
}

/** Plausible rooms only (the DeviceRecord schema's bounds, with C and UA kept off zero). */
export const BOUNDS = { uaWPerK: [5, 2000], capacityKWhPerK: [0.05, 100], otherHeatW: [0, 10_000] } as const;
export const DEFAULT_SEGMENT_HOURS = 24 * 7;

/** Loose priors on the noises: a thermometer of about 0.1 K, unexplained heat of a few tens of watts. */
const NOISE_PRIORS = { processSdK: 0.05, measurementSdK: 0.1, lnSd: 1.5 } as const;
const Q_SCALE_W = 100;

const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

function toParameters(x: Float64Array): GreyBoxParameters {
  return {
    uaWPerK: clamp(Math.exp(x[0]!), BOUNDS.uaWPerK[0], BOUNDS.uaWPerK[1]),
    capacityKWhPerK: clamp(Math.exp(x[1]!), BOUNDS.capacityKWhPerK[0], BOUNDS.capacityKWhPerK[1]),
    otherHeatW: clamp(x[2]! * Q_SCALE_W, BOUNDS.otherHeatW[0], BOUNDS.otherHeatW[1]),
    processSdK: clamp(Math.exp(x[3]!), 1e-4, 5),
    measurementSdK: clamp(Math.exp(x[4]!), 0.005, 5),
  };
}

/** The MAP fit of a room to its samples; with no usable interval, the prior itself. */
export function fitRoomModel(samples: readonly RoomSample[], prior: RoomPrior, options: FitOptions = {}): RoomFit {
  const segments = segmentSamples(samples, options.segmentHours ?? DEFAULT_SEGMENT_HOURS);
  const hours = segments.reduce((h, s) => h + s.intervals.reduce((x, iv) => x + iv.hours, 0), 0);
  if (segments.length === 0) {
    return {
      room: { uaWPerK: prior.uaWPerK, capacityKWhPerK: prior.capacityKWhPerK, otherHeatW: prior.otherHeatW },
      stdErr: { uaRel: prior.uaRelSd, capacityRel: prior.capacityRelSd, otherHeatW: prior.otherHeatSdW },
      processSdK: NOISE_PRIORS.processSdK,
      measurementSdK: NOISE_PRIORS.measurementSdK,
      hours: 0,
      iterations: 0,
    };
  }
  const mean = Float64Array.of(
    Math.log(prior.uaWPerK),
    Math.log(prior.capacityKWhPerK),
    prior.otherHeatW / Q_SCALE_W,
    Math.log(NOISE_PRIORS.processSdK),
    Math.log(NOISE_PRIORS.measurementSdK),
  );
  const sd = Float64Array.of(prior.uaRelSd, prior.capacityRelSd, prior.otherHeatSdW / Q_SCALE_W, NOISE_PRIORS.lnSd, NOISE_PRIORS.lnSd);
  const posterior = (x: Float64Array) => {
    let f = negativeLogLikelihood(toParameters(x), segments);
    for (let i = 0; i < x.length; i++) f += 0.5 * ((x[i]! - mean[i]!) / sd[i]!) ** 2;
    return f;
  };
  const best = minimize(posterior, mean, options.maxIterations ?? 200);
  const p = toParameters(best.x);
  const variances = inverseDiagonal(hessian(posterior, best.x), best.x.length);
  const stdErr = (i: number) => (variances && variances[i]! > 0 ? Math.sqrt(variances[i]!) : sd[i]!);
  return {
    room: { uaWPerK: p.uaWPerK, capacityKWhPerK: p.capacityKWhPerK, otherHeatW: p.otherHeatW },
    stdErr: { uaRel: stdErr(0), capacityRel: stdErr(1), otherHeatW: stdErr(2) * Q_SCALE_W },
    processSdK: p.processSdK,
    measurementSdK: p.measurementSdK,
    hours,
    iterations: best.iterations,
  };
}
