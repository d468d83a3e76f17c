import { valueAtStep, type ConstantOrSeries } from '../planning/step-series.ts';

/**
 * The 1R1C room: C·dT/dt = P_heat + Q_other − UA·(T − T_out).
 *
 * With heat and outdoor temperature held constant over a step (zero-order hold) the ODE has an exact
 * solution, so one step of any length is
 *   T[t+1] = a·T[t] + b·(P[t] + Q_other[t]) + (1 − a)·T_out[t],  a = exp(−UA·Δt/C),  b = (1 − a)/UA
 * with UA in kW/K, C in kWh/K, powers in kW and Δt in h. Because a and b come from the exponential, a
 * 30-minute step equals two 15-minute steps; scaling rates by Δt by hand (forward Euler) would not, and
 * overshoots when Δt approaches C/UA.
 */
export interface RoomParameters {
  uaWPerK: number;
  capacityKWhPerK: number;
}

/** b is in K per kW of heat. */
export interface StepCoefficients {
  a: number;
  b: number;
}

export function stepCoefficients(room: RoomParameters, stepHours: number): StepCoefficients {
  if (!(room.uaWPerK > 0) || !(room.capacityKWhPerK > 0)) {
    throw new RangeError(`room needs UA > 0 and C > 0; got UA ${room.uaWPerK} W/K, C ${room.capacityKWhPerK} kWh/K`);
  }
  if (!(stepHours > 0) || !Number.isFinite(stepHours)) throw new RangeError(`step of ${stepHours} h is not a positive duration`);
  const uaKWPerK = room.uaWPerK / 1000;
  const a = Math.exp((-uaKWPerK * stepHours) / room.capacityKWhPerK);
  return { a, b: (1 - a) / uaKWPerK };
}

/** Temperature at the end of one step, from the temperature at its start; `heatW` is P_heat + Q_other. */
export function stepRoom({ a, b }: StepCoefficients, tempC: number, heatW: number, outdoorC: number): number {
  return a * tempC + b * (heatW / 1000) + (1 - a) * outdoorC;
}

/** What a simulation needs of a planning problem; a PlanningProblem is one. */
export interface RoomSimulationInputs {
  initialTempC: number;
  stepMinutes: number;
  room: RoomParameters;
  otherHeatW: ConstantOrSeries;
  outdoorC: readonly number[];
}

/** Temperatures at the start of every step and at the end of the last: N + 1 values for N steps. */
export function simulateRoom(inputs: RoomSimulationInputs, powerW: readonly number[]): number[] {
  const steps = inputs.outdoorC.length;
  if (powerW.length !== steps) throw new RangeError(`${powerW.length} powers for ${steps} steps`);
  const coefficients = stepCoefficients(inputs.room, inputs.stepMinutes / 60);
  const temps = [inputs.initialTempC];
  let tempC = inputs.initialTempC;
  for (let t = 0; t < steps; t++) {
    tempC = stepRoom(coefficients, tempC, powerW[t]! + valueAtStep(inputs.otherHeatW, t), inputs.outdoorC[t]!);
    temps.push(tempC);
  }
  return temps;
}
