import { describe, expect, it } from 'vitest';
import { stepCoefficients, stepRoom } from '../../../../functions/domain/thermal/room-model.ts';
import { CHIP_K_PER_KW, SimulatedRoom } from '../../../../local/simulator/simulated-room.ts';

const model = { uaWPerK: 50, capacityKWhPerK: 1.5, otherHeatW: 150 };

describe('simulated room', () => {
  it('moves with the domain room model, adding its other heat', () => {
    const room = new SimulatedRoom(model, 18);
    room.advance(1000, -3, 0.25);
    expect(room.roomC).toBe(stepRoom(stepCoefficients(model, 0.25), 18, 1150, -3));
    room.advance(0, -3, 1 / 60);
    expect(room.roomC).toBeLessThan(stepRoom(stepCoefficients(model, 0.25), 18, 1150, -3));
  });

  it('puts the chips CHIP_K_PER_KW above the room per kW drawn over the last interval', () => {
    const room = new SimulatedRoom(model, 18);
    expect(room.chipC).toBe(18);
    room.advance(2000, 0, 0.25);
    expect(room.chipC).toBeCloseTo(room.roomC + 2 * CHIP_K_PER_KW, 12);
  });
});
