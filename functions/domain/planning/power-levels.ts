import type { PowerLevel } from '../../../schemas/shadow.ts';

/**
 * A heater can always be switched off, whether or not its level list names 0 W; `levels` name the powers
 * it can run at. Every function here therefore treats {powerW 0, computeW 0} as an implicit level.
 */
const OFF: PowerLevel = { powerW: 0, computeW: 0 };

/**
 * Levels plus off, ascending by power; of two levels at the same power, the one computing more is kept.
 * Built once per level list: evaluating a plan asks for it at every step, and planners solve thousands of
 * devices that share a handful of level lists.
 */
const ladders = new WeakMap<readonly PowerLevel[], PowerLevel[]>();
function ladder(levels: readonly PowerLevel[]): PowerLevel[] {
  let built = ladders.get(levels);
  if (!built) {
    built = buildLadder(levels);
    ladders.set(levels, built);
  }
  return built;
}

function buildLadder(levels: readonly PowerLevel[]): PowerLevel[] {
  const byPower = new Map<number, PowerLevel>([[0, OFF]]);
  for (const level of levels) {
    const seen = byPower.get(level.powerW);
    if (!seen || level.computeW > seen.computeW) byPower.set(level.powerW, level);
  }
  return [...byPower.values()].sort((x, y) => x.powerW - y.powerW);
}

/** The highest level drawing at most `limitW` (off when none does): how caps and snapped plans are honoured. */
export function highestLevelAtMost(levels: readonly PowerLevel[], limitW: number): PowerLevel {
  let best = OFF;
  for (const level of ladder(levels)) if (level.powerW <= limitW) best = level;
  return best;
}

export function isLevelPower(levels: readonly PowerLevel[], powerW: number): boolean {
  return powerW === 0 || levels.some((l) => l.powerW === powerW);
}

/**
 * Compute power while drawing `powerW`. At a level it is that level's computeW. Between two levels it is
 * interpolated linearly, which is what a device alternating between the two within the step would average.
 * Above the highest level the extra power is taken as boost heating that computes nothing, so computeW
 * stays at the highest level's.
 */
export function computePowerW(levels: readonly PowerLevel[], powerW: number): number {
  if (!(powerW >= 0)) throw new RangeError(`power ${powerW} W is not a non-negative number`);
  const steps = ladder(levels);
  let below = steps[0]!;
  for (const above of steps) {
    if (above.powerW === powerW) return above.computeW;
    if (above.powerW > powerW) {
      const share = (powerW - below.powerW) / (above.powerW - below.powerW);
      return below.computeW + share * (above.computeW - below.computeW);
    }
    below = above;
  }
  return below.computeW;
}
