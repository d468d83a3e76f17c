import { filterInnovations, type GreyBoxParameters } from './kalman-likelihood.ts';
import { segmentSamples, type RoomSample } from './room-samples.ts';

/**
 * Has the room stopped behaving like its model (new insulation, a window left open, the heater moved)? The
 * model's Kalman filter (kalman-likelihood.ts) predicts each recent sample; under a right model its
 * normalised innovations z = e/√S average 0 with mean square 1. A changed room biases them: predictions run
 * warm when UA grew, cold when it shrank.
 *
 * Innovations of a real room are correlated (heat the model does not know of comes and goes over hours), so
 * the tests are deliberately coarse: a mean bias past BIAS_LIMIT that is also significant at SIGNIFICANCE
 * standard errors with samples counted as CORRELATED_SAMPLES-fold dependent, or a mean square past
 * SPREAD_LIMIT (the model's noise is no longer a fair description).
 */
export const BIAS_LIMIT = 0.35;
export const SIGNIFICANCE = 3;
export const CORRELATED_SAMPLES = 4;
export const SPREAD_LIMIT = 4;

export interface DriftCheck {
  drift: boolean;
  meanZ: number;
  meanSquareZ: number;
  samples: number;
}

export function checkDrift(model: GreyBoxParameters, recent: readonly RoomSample[]): DriftCheck {
  let sum = 0;
  let sumSquares = 0;
  let n = 0;
  filterInnovations(model, segmentSamples(recent, Infinity), (e, s) => {
    const z = e / Math.sqrt(s);
    sum += z;
    sumSquares += z * z;
    n++;
  });
  if (n === 0) return { drift: false, meanZ: 0, meanSquareZ: 0, samples: 0 };
  const meanZ = sum / n;
  const meanSquareZ = sumSquares / n;
  const biased = Math.abs(meanZ) > BIAS_LIMIT && Math.abs(meanZ) * Math.sqrt(n / CORRELATED_SAMPLES) > SIGNIFICANCE;
  return { drift: biased || meanSquareZ > SPREAD_LIMIT, meanZ, meanSquareZ, samples: n };
}
