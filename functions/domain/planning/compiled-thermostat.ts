import type { CompiledProblem } from './compiled-problem.ts';
import { HYSTERESIS_K, SETPOINT_SHARE } from './thermostat-policy.ts';

/**
 * The thermostat baseline's decisions (thermostat-policy.ts: hysteresis around a setpoint a quarter up the
 * band, full power within the cap) on a compiled problem, as level indices. The optimiser uses it as a
 * candidate so its answer is never worse than the baseline; planThermostat stays the definition (a test
 * checks the two agree), this copy only skips its per-step level lookups and its full evaluation.
 */
export function thermostatLevels(c: CompiledProblem): Int32Array {
  const levels = new Int32Array(c.steps);
  let tempC = c.initialTempC;
  let heating = false;
  for (let k = 0; k < c.steps; k++) {
    const setpointC = c.minC[k]! + SETPOINT_SHARE * (c.maxC[k]! - c.minC[k]!);
    if (tempC < setpointC - HYSTERESIS_K) heating = true;
    else if (tempC > setpointC + HYSTERESIS_K) heating = false;
    const l = heating ? c.topLevel[k]! : 0;
    levels[k] = l;
    tempC = c.a * tempC + c.drift[k]! + c.rise[l]!;
  }
  return levels;
}
