import type { RoomSample } from '../../functions/domain/room-learning/room-samples.ts';
import { stepCoefficients, stepRoom } from '../../functions/domain/thermal/room-model.ts';
import { seededRandom } from '../../local/fleet/seeded-random.ts';
import { ActualConditions } from '../../local/twin/actual-conditions.ts';
import type { RoomModel } from '../../schemas/device.ts';

/**
 * Telemetry of a simulated heater for room-learning tests: a TRUE room (optionally changing at `changeAtHour`)
 * under real Malmö winter weather (data/samples), heated by a thermostat with a night setback that picks one
 * of three levels at random when on, plus heat the model does not know of (an AR(1) process, correlated over
 * hours: people, cooking, sun). The thermometer adds Gaussian noise and rounds to 0.1 K, as devices report.
 */
export interface TelemetryScenario {
  room: RoomModel;
  days: number;
  seed?: number;
  startHour?: number;
  noiseK?: number;
  /** Innovation of the unknown heat per 15-minute step, W (its spread is ≈ 3.2× this). */
  disturbanceW?: number;
  changeAtHour?: number;
  changedRoom?: RoomModel;
}

const STEP_MS = 15 * 60_000;

export function simulatedTelemetry(s: TelemetryScenario): RoomSample[] {
  const actual = new ActualConditions('DK2');
  const random = seededRandom(s.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const startMs = actual.firstMs + (s.startHour ?? 24) * 3_600_000;
  const samples: RoomSample[] = [];
  let roomC = 19;
  let heating = false;
  let unknownW = 0;
  for (let k = 0; k < s.days * 96; k++) {
    const at = new Date(startMs + k * STEP_MS);
    const hour = (at.getUTCHours() + 1) % 24;
    const setpoint = hour >= 6 && hour < 22 ? 21 : 18;
    if (roomC < setpoint - 0.4) heating = true;
    else if (roomC > setpoint + 0.4) heating = false;
    const powerW = heating ? [800, 1200, 2000][Math.floor(random() * 3)]! : random() < 0.15 ? 400 : 0;
    const outdoorC = actual.outdoorC(at);
    samples.push({ timeMs: at.getTime(), roomC: Math.round((roomC + (s.noiseK ?? 0.1) * gauss()) * 10) / 10, powerW, outdoorC: Math.round(outdoorC * 10) / 10 });
    const room = s.changeAtHour !== undefined && k >= s.changeAtHour * 4 ? s.changedRoom! : s.room;
    unknownW = 0.95 * unknownW + (s.disturbanceW ?? 15) * gauss();
    roomC = stepRoom(stepCoefficients(room, 0.25), roomC, powerW + room.otherHeatW + unknownW, outdoorC);
  }
  return samples;
}
