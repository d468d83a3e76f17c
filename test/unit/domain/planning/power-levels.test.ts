import { describe, expect, it } from 'vitest';
import { computePowerW, highestLevelAtMost, isLevelPower } from '../../../../functions/domain/planning/power-levels.ts';

const levels = [
  { powerW: 1000, computeW: 900 },
  { powerW: 500, computeW: 400 },
];

describe('power levels', () => {
  it('picks the highest level within a limit, off when none fits', () => {
    expect(highestLevelAtMost(levels, 999).powerW).toBe(500);
    expect(highestLevelAtMost(levels, 1000).powerW).toBe(1000);
    expect(highestLevelAtMost(levels, 499)).toEqual({ powerW: 0, computeW: 0 });
    expect(highestLevelAtMost(levels, Infinity).powerW).toBe(1000);
  });

  it('interpolates compute power between levels and off, and holds it above the top level', () => {
    expect(computePowerW(levels, 500)).toBe(400);
    expect(computePowerW(levels, 750)).toBe(650);
    expect(computePowerW(levels, 250)).toBe(200);
    expect(computePowerW(levels, 1500)).toBe(900);
    expect(computePowerW(levels, 0)).toBe(0);
  });

  it('treats 0 W as a level whether or not it is listed', () => {
    expect(isLevelPower(levels, 0)).toBe(true);
    expect(isLevelPower(levels, 750)).toBe(false);
  });
});
