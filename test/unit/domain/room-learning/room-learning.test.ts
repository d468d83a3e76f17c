import { describe, expect, it } from 'vitest';
import { fitConfidence } from '../../../../functions/domain/room-learning/confidence.ts';
import { checkDrift } from '../../../../functions/domain/room-learning/drift.ts';
import { fitRoomModel } from '../../../../functions/domain/room-learning/fit-room-model.ts';
import { updateRoomEstimate } from '../../../../functions/domain/room-learning/maintain-room-model.ts';
import { roomPriorFor } from '../../../../functions/domain/room-learning/room-priors.ts';
import { segmentSamples } from '../../../../functions/domain/room-learning/room-samples.ts';
import { simulatedTelemetry } from '../../../support/simulated-telemetry.ts';

const TRUTH = { uaWPerK: 62, capacityKWhPerK: 2.9, otherHeatW: 180 };
/** The rule-of-thumb prior of a 2 kW heater: UA 57 W/K, C 2.6 kWh/K, 150 W — deliberately not the truth. */
const PRIOR = roomPriorFor({ maxPowerW: 2000 });
const relative = (x: number, truth: number) => Math.abs(x / truth - 1);

describe('room model learning', () => {
  it('recovers UA, C and other heat within 10 % from two weeks of noisy telemetry', () => {
    for (const seed of [1, 2, 3]) {
      const samples = simulatedTelemetry({ room: TRUTH, days: 14, seed, noiseK: 0.1, disturbanceW: 0 });
      const fit = fitRoomModel(samples, PRIOR);
      expect(relative(fit.room.uaWPerK, TRUTH.uaWPerK), `seed ${seed} UA ${fit.room.uaWPerK}`).toBeLessThan(0.1);
      expect(relative(fit.room.capacityKWhPerK, TRUTH.capacityKWhPerK), `seed ${seed} C ${fit.room.capacityKWhPerK}`).toBeLessThan(0.1);
      expect(relative(fit.room.otherHeatW, TRUTH.otherHeatW), `seed ${seed} Q ${fit.room.otherHeatW}`).toBeLessThan(0.1);
      expect(fit.measurementSdK).toBeGreaterThan(0.07);
      expect(fit.measurementSdK).toBeLessThan(0.14);
      expect(fitConfidence(fit)).toBeGreaterThan(0.8);
    }
  });

  it('keeps UA and C within 10 % when heat the model does not know of comes and goes, and says it is less sure', () => {
    const clean = fitRoomModel(simulatedTelemetry({ room: TRUTH, days: 14, seed: 4, disturbanceW: 0 }), PRIOR);
    const disturbed = fitRoomModel(simulatedTelemetry({ room: TRUTH, days: 14, seed: 4, disturbanceW: 5 }), PRIOR);
    expect(relative(disturbed.room.uaWPerK, TRUTH.uaWPerK)).toBeLessThan(0.1);
    expect(relative(disturbed.room.capacityKWhPerK, TRUTH.capacityKWhPerK)).toBeLessThan(0.1);
    expect(disturbed.processSdK).toBeGreaterThan(clean.processSdK);
    expect(fitConfidence(disturbed)).toBeLessThan(fitConfidence(clean));
  });

  it('plans with the device model prior until there is enough data', () => {
    const few = simulatedTelemetry({ room: TRUTH, days: 1, seed: 5 }).slice(0, 12);
    const nowMs = few[few.length - 1]!.timeMs;
    const { estimate, update } = updateRoomEstimate({ prior: PRIOR, samples: few, nowMs });
    expect(update).toBe('prior');
    expect(estimate.source).toBe('prior');
    expect(estimate.room).toEqual({ uaWPerK: PRIOR.uaWPerK, capacityKWhPerK: PRIOR.capacityKWhPerK, otherHeatW: PRIOR.otherHeatW });
    expect(estimate.confidence).toBeLessThan(0.5);
    // Three hours barely move the MAP estimate off the prior.
    expect(relative(estimate.fit!.room.uaWPerK, PRIOR.uaWPerK)).toBeLessThan(0.15);
    // No data at all: the prior, unchanged.
    expect(fitRoomModel([], PRIOR).room.uaWPerK).toBe(PRIOR.uaWPerK);
    // Priors per device model: named models first, else sized from the heater's power.
    expect(roomPriorFor({ model: 'hearth-reference-2kw', maxPowerW: 2000 }).capacityKWhPerK).toBe(2.6);
    expect(roomPriorFor({ maxPowerW: 1000 }).uaWPerK).toBeCloseTo(1000 / 35, 9);
  });

  it('detects drift when the room changes, and refits from recent data', () => {
    const changed = { ...TRUTH, uaWPerK: 95 };
    const samples = simulatedTelemetry({ room: TRUTH, days: 14, seed: 6, noiseK: 0.1, disturbanceW: 0, changeAtHour: 240, changedRoom: changed });
    const at = (hour: number) => samples[0]!.timeMs + hour * 3_600_000;
    const upTo = (hour: number) => samples.filter((s) => s.timeMs <= at(hour));

    const first = updateRoomEstimate({ prior: PRIOR, samples: upTo(239), nowMs: at(239) });
    expect(first.update).toBe('fitted');
    expect(relative(first.estimate.room.uaWPerK, TRUTH.uaWPerK)).toBeLessThan(0.1);

    const quiet = updateRoomEstimate({ current: first.estimate, prior: PRIOR, samples: upTo(239), nowMs: at(239) });
    expect(quiet.update).toBe('kept');
    expect(quiet.drift!.drift).toBe(false);

    const later = updateRoomEstimate({ current: first.estimate, prior: PRIOR, samples: upTo(335), nowMs: at(335) });
    expect(later.update).toBe('refitted-after-drift');
    expect(later.drift!.meanZ).toBeLessThan(0);
    expect(relative(later.estimate.room.uaWPerK, changed.uaWPerK)).toBeLessThan(0.1);
  });

  it('flags no drift on a model that still fits, and cuts telemetry at gaps', () => {
    const samples = simulatedTelemetry({ room: TRUTH, days: 3, seed: 7, disturbanceW: 0 });
    expect(checkDrift({ ...TRUTH, processSdK: 0.005, measurementSdK: 0.1 }, samples).drift).toBe(false);
    expect(checkDrift({ ...TRUTH, uaWPerK: 40, processSdK: 0.005, measurementSdK: 0.1 }, samples).drift).toBe(true);
    const gappy = [...samples.slice(0, 40), ...samples.slice(50, 100)];
    const segments = segmentSamples(gappy, 24);
    expect(segments).toHaveLength(2);
    expect(segments[0]!.intervals).toHaveLength(39);
  });
});
