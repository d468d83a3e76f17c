import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationText } from '../../../../functions/domain/grid/duration-text.ts';
import { isComplete, measureEnergy, powerSamples, type PowerSample } from '../../../../functions/domain/grid/measured-energy.ts';
import { TELEMETRY_SCHEMA_V1, type TelemetryMessage } from '../../../../schemas/telemetry.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-01-20T16:00:00Z');
const message = (deviceId: string, seq: number, atMs: number, powerW: number): TelemetryMessage => ({
  schema: TELEMETRY_SCHEMA_V1,
  deviceId,
  seq,
  ts: new Date(atMs).toISOString(),
  roomC: 21,
  powerW,
});

describe('energy from power telemetry', () => {
  it('holds each sample until the next: 1 kW for 10 min then 2 kW for 10 min is 0.5 kWh', () => {
    const samples: PowerSample[] = [
      { atMs: T0, powerW: 1000 },
      { atMs: T0 + 10 * MIN, powerW: 2000 },
      { atMs: T0 + 20 * MIN, powerW: 0 },
    ];
    const m = measureEnergy(samples, { startMs: T0, endMs: T0 + 20 * MIN });
    expect(m.kWh).toBeCloseTo(0.5, 12);
    expect(isComplete(m)).toBe(true);
  });

  it('counts the sample in force at the window start, and only the part inside the window', () => {
    const samples = [{ atMs: T0 - 5 * MIN, powerW: 1200 }, { atMs: T0 + 5 * MIN, powerW: 600 }];
    const m = measureEnergy(samples, { startMs: T0, endMs: T0 + 10 * MIN });
    expect(m.kWh).toBeCloseTo((1200 * 5 + 600 * 5) / 60 / 1000, 12);
    expect(m.coveredMs).toBe(10 * MIN);
  });

  it('leaves a gap longer than the hold uncovered instead of inventing energy', () => {
    const samples = [{ atMs: T0, powerW: 1000 }, { atMs: T0 + 60 * MIN, powerW: 1000 }];
    const m = measureEnergy(samples, { startMs: T0, endMs: T0 + 60 * MIN }, 15 * MIN);
    expect(m.kWh).toBeCloseTo(0.25, 12);
    expect(m.coveredMs).toBe(15 * MIN);
    expect(isComplete(m)).toBe(false);
    expect(measureEnergy([], { startMs: T0, endMs: T0 + MIN })).toEqual({ kWh: 0, coveredMs: 0, spanMs: MIN });
  });

  it('reads one device from a history: other devices, redeliveries and disorder do not count twice', () => {
    const history = [message('h-1', 2, T0 + MIN, 500), message('h-2', 1, T0, 9000), message('h-1', 1, T0, 1000), message('h-1', 1, T0, 1000), message('h-1', 3, T0 + MIN, 700)];
    expect(powerSamples(history, 'h-1')).toEqual([
      { atMs: T0, powerW: 1000 },
      { atMs: T0 + MIN, powerW: 700 },
    ]);
  });

  it('is additive: the energy of a window is the sum over any split of it', () => {
    const sample = fc.record({ offsetMin: fc.integer({ min: -20, max: 200 }), powerW: fc.integer({ min: 0, max: 3000 }) });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 179 }), { maxLength: 6 }), (raw, cutsMin) => {
        const samples = [...new Map(raw.map((s) => [T0 + s.offsetMin * MIN, s.powerW])).entries()].sort((a, b) => a[0] - b[0]).map(([atMs, powerW]) => ({ atMs, powerW }));
        const bounds = [0, ...new Set(cutsMin), 180].sort((a, b) => a - b).map((m) => T0 + m * MIN);
        const whole = measureEnergy(samples, { startMs: bounds[0]!, endMs: bounds.at(-1)! });
        const parts = bounds.slice(1).map((end, i) => measureEnergy(samples, { startMs: bounds[i]!, endMs: end }));
        expect(parts.reduce((s, p) => s + p.kWh, 0)).toBeCloseTo(whole.kWh, 9);
        expect(parts.reduce((s, p) => s + p.coveredMs, 0)).toBe(whole.coveredMs);
      }),
    );
  });
});

describe('ISO-8601 duration text', () => {
  it('writes the forms OpenADR uses', () => {
    expect(durationText(3_600_000)).toBe('PT1H');
    expect(durationText(15 * MIN)).toBe('PT15M');
    expect(durationText(90 * MIN + 1500)).toBe('PT1H30M1.5S');
    expect(durationText(26 * 3_600_000)).toBe('P1DT2H');
    expect(durationText(0)).toBe('PT0S');
  });
});
