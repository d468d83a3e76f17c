import { describe, expect, it } from 'vitest';
import { fullJitterDelayMs, Pacer, WindowLimiter, type Timing } from '../../../../functions/adapters/iot/pacing.ts';

/** Time moves only when someone sleeps. */
function fakeTiming(): Timing & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

describe('Pacer', () => {
  it('spaces requests to one key 1/rate apart, and leaves other keys alone', async () => {
    const timing = fakeTiming();
    const pacer = new Pacer(10, timing);
    await pacer.wait('a');
    await pacer.wait('a');
    await pacer.wait('a');
    expect(timing.slept).toEqual([100, 100]);
    await pacer.wait('b');
    expect(timing.slept).toEqual([100, 100]);
  });

  it('reserves slots for concurrent callers in order', async () => {
    // Three callers at the same instant: each gets the next free slot.
    const slept: number[] = [];
    const pacer = new Pacer(20, { now: () => 0, sleep: async (ms) => void slept.push(ms), random: Math.random });
    await Promise.all([pacer.wait('t'), pacer.wait('t'), pacer.wait('t')]);
    expect(slept).toEqual([50, 100]);
  });
});

describe('WindowLimiter', () => {
  it('lets a burst up to the limit through at once, then holds each further request until the window has room', async () => {
    const slept: number[] = [];
    let now = 0;
    const limiter = new WindowLimiter(3, { now: () => now, sleep: async (ms) => void slept.push(ms), random: Math.random });
    await Promise.all([limiter.wait('t'), limiter.wait('t'), limiter.wait('t'), limiter.wait('t'), limiter.wait('t')]);
    expect(slept).toEqual([1000, 1000]);
    now = 2500;
    await limiter.wait('t');
    await limiter.wait('other');
    expect(slept).toEqual([1000, 1000]);
  });
});

describe('fullJitterDelayMs', () => {
  it('is uniform below min(cap, base·2^attempt)', () => {
    expect(fullJitterDelayMs(0, 50, 2000, () => 0.999)).toBeCloseTo(49.95);
    expect(fullJitterDelayMs(3, 50, 2000, () => 0.5)).toBe(200);
    expect(fullJitterDelayMs(10, 50, 2000, () => 0.5)).toBe(1000);
    expect(fullJitterDelayMs(4, 50, 2000, () => 0)).toBe(0);
  });
});
