/**
 * AWS IoT caps shadow requests per thing per second; this does the same on the service's clock, which may be
 * virtual. A sliding one-second window per thing.
 */
export class ThingRateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(readonly maxPerSecond: number) {
    if (!Number.isInteger(maxPerSecond) || maxPerSecond < 1) throw new RangeError(`maxPerSecond must be a positive integer, got ${maxPerSecond}`);
  }

  /** Records a request at `nowMs`; false when the thing already had `maxPerSecond` in the second before. */
  tryAcquire(thingName: string, nowMs: number): boolean {
    const windowStart = nowMs - 1000;
    const times = (this.recent.get(thingName) ?? []).filter((t) => t > windowStart && t <= nowMs);
    if (times.length >= this.maxPerSecond) {
      this.recent.set(thingName, times);
      return false;
    }
    times.push(nowMs);
    this.recent.set(thingName, times);
    return true;
  }
}
