import type { RoomModel } from '../../../schemas/device.ts';
import { fitConfidence } from './confidence.ts';
import { checkDrift, type DriftCheck } from './drift.ts';
import { fitRoomModel, type RoomFit, type RoomPrior } from './fit-room-model.ts';
import type { RoomSample } from './room-samples.ts';

/**
 * A device's current belief about its room, and the rule that keeps it current:
 * - until MIN_HOURS of telemetry are in, the planner uses the prior of its device model; after that the fit,
 *   which is a maximum a posteriori estimate and so already leans on the prior where the data say little
 *   (a room heated the same way all day tells little about its other heat): never worse than the prior in
 *   expectation. The confidence figure (confidence.ts) goes with it for operators and alarms;
 * - a confident fit is kept, and checked for drift against the last DRIFT_WINDOW_HOURS of telemetry at every
 *   update; on drift the room is refitted from the last REFIT_WINDOW_HOURS only (older data describe the
 *   room as it was), starting again from the device model's prior;
 * - otherwise it is refitted over FIT_WINDOW_HOURS every REFRESH_HOURS, which follows slow change.
 */
export const MIN_HOURS = 48;
export const FIT_WINDOW_HOURS = 14 * 24;
export const DRIFT_WINDOW_HOURS = 36;
export const REFIT_WINDOW_HOURS = 4 * 24;
export const REFRESH_HOURS = 7 * 24;

export interface RoomEstimate {
  room: RoomModel;
  source: 'prior' | 'fitted';
  /** Probability that the last fit has UA, C and other heat within 10 % (confidence.ts). */
  confidence: number;
  /** The last fit (also when it was not yet confident enough to use). */
  fit?: RoomFit;
  fittedAtMs?: number;
}

export type RoomUpdate = 'prior' | 'fitted' | 'kept' | 'refitted-after-drift';

const HOUR_MS = 3_600_000;

function estimateFrom(fit: RoomFit, prior: RoomPrior, nowMs: number): RoomEstimate {
  const confidence = fitConfidence(fit);
  const usable = fit.hours >= MIN_HOURS;
  const room = usable ? fit.room : { uaWPerK: prior.uaWPerK, capacityKWhPerK: prior.capacityKWhPerK, otherHeatW: prior.otherHeatW };
  return { room, source: usable ? 'fitted' : 'prior', confidence, fit, fittedAtMs: nowMs };
}

const since = (samples: readonly RoomSample[], fromMs: number) => samples.filter((s) => s.timeMs >= fromMs);

export function updateRoomEstimate(input: {
  current?: RoomEstimate | undefined;
  prior: RoomPrior;
  samples: readonly RoomSample[];
  nowMs: number;
}): { estimate: RoomEstimate; update: RoomUpdate; drift?: DriftCheck } {
  const { current, prior, samples, nowMs } = input;
  if (!current || current.source === 'prior' || !current.fit) {
    const estimate = estimateFrom(fitRoomModel(since(samples, nowMs - FIT_WINDOW_HOURS * HOUR_MS), prior), prior, nowMs);
    return { estimate, update: estimate.source === 'fitted' ? 'fitted' : 'prior' };
  }
  const { fit } = current;
  const drift = checkDrift({ ...fit.room, processSdK: fit.processSdK, measurementSdK: fit.measurementSdK }, since(samples, nowMs - DRIFT_WINDOW_HOURS * HOUR_MS));
  if (drift.drift) {
    const estimate = estimateFrom(fitRoomModel(since(samples, nowMs - REFIT_WINDOW_HOURS * HOUR_MS), prior), prior, nowMs);
    return { estimate, update: 'refitted-after-drift', drift };
  }
  if (nowMs - (current.fittedAtMs ?? 0) >= REFRESH_HOURS * HOUR_MS) {
    const refreshed = estimateFrom(fitRoomModel(since(samples, nowMs - FIT_WINDOW_HOURS * HOUR_MS), prior), prior, nowMs);
    // A refresh that is less sure than what it replaces (the device sat idle, say) keeps the old estimate.
    if (refreshed.source === 'fitted' && refreshed.confidence >= current.confidence) return { estimate: refreshed, update: 'fitted', drift };
  }
  return { estimate: current, update: 'kept', drift };
}
