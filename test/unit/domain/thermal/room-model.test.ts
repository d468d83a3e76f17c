import { describe, expect, it } from 'vitest';
import { simulateRoom, stepCoefficients, stepRoom, type RoomSimulationInputs } from '../../../../functions/domain/thermal/room-model.ts';

const room = { uaWPerK: 60, capacityKWhPerK: 2 };

/** Closed-form solution of C·dT/dt = P + Q − UA·(T − T_out) for constant inputs. */
function exactTemp(t0: number, heatW: number, outdoorC: number, hours: number): number {
  const steadyC = outdoorC + heatW / room.uaWPerK;
  const tauH = room.capacityKWhPerK / (room.uaWPerK / 1000);
  return steadyC + (t0 - steadyC) * Math.exp(-hours / tauH);
}

function constantInputs(steps: number, stepMinutes: number, outdoorC: number, otherHeatW: number): RoomSimulationInputs {
  return { initialTempC: 12, stepMinutes, room, otherHeatW, outdoorC: Array<number>(steps).fill(outdoorC) };
}

describe('1R1C room model (exact zero-order hold)', () => {
  it('matches the closed-form exponential for constant inputs at every step', () => {
    const inputs = constantInputs(192, 15, -4, 150);
    const temps = simulateRoom(inputs, Array<number>(192).fill(1200));
    expect(temps).toHaveLength(193);
    temps.forEach((tempC, t) => expect(tempC).toBeCloseTo(exactTemp(12, 1350, -4, t * 0.25), 9));
  });

  it('has b = (1 − a)/UA with UA in kW/K, a = exp(−UA·Δt/C)', () => {
    const { a, b } = stepCoefficients(room, 0.25);
    expect(a).toBeCloseTo(Math.exp((-0.06 * 0.25) / 2), 15);
    expect(b).toBeCloseTo((1 - a) / 0.06, 12);
  });

  it('holds the steady state T_out + (P + Q)/UA', () => {
    const steadyC = 2 + (900 + 300) / room.uaWPerK;
    const coefficients = stepCoefficients(room, 0.25);
    expect(stepRoom(coefficients, steadyC, 1200, 2)).toBeCloseTo(steadyC, 12);
    const inputs = { ...constantInputs(4000, 15, 2, 300), initialTempC: 5 };
    expect(simulateRoom(inputs, Array<number>(4000).fill(900)).at(-1)).toBeCloseTo(steadyC, 6);
  });

  it('gives the same temperature for one 30-minute step as for two 15-minute steps', () => {
    const half = stepCoefficients(room, 0.25);
    const whole = stepCoefficients(room, 0.5);
    const twoSteps = stepRoom(half, stepRoom(half, 18.3, 1700, -7), 1700, -7);
    expect(Math.abs(stepRoom(whole, 18.3, 1700, -7) - twoSteps)).toBeLessThan(1e-9);
  });

  it('takes other heat per step when given as a series', () => {
    const inputs: RoomSimulationInputs = { initialTempC: 20, stepMinutes: 15, room, otherHeatW: [0, 600], outdoorC: [0, 0] };
    const coefficients = stepCoefficients(room, 0.25);
    const t1 = stepRoom(coefficients, 20, 500, 0);
    expect(simulateRoom(inputs, [500, 0])).toEqual([20, t1, stepRoom(coefficients, t1, 600, 0)]);
  });

  it('refuses a power series of the wrong length and a non-positive step', () => {
    expect(() => simulateRoom(constantInputs(3, 15, 0, 0), [1, 2])).toThrow(/2 powers for 3 steps/);
    expect(() => stepCoefficients(room, 0)).toThrow(RangeError);
  });
});
