/**
 * Real elapsed time for pacing and backoff. Not the business clock: these space out requests to a real service,
 * so they run on wall time even when the local twin runs its handlers on a virtual clock.
 */
export interface Timing {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1), for jitter. */
  random(): number;
}

export const realTiming: Timing = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Entries older than this many slots are forgotten, so a pass over a million things does not keep a million. */
const FORGET_AFTER_ENTRIES = 10_000;

/**
 * Spaces requests 1/`perSecond` apart, per key: each request reserves the next free slot and waits for it. It
 * keeps an account's update rate smooth, so no burst runs into the account quota.
 */
export class Pacer {
  private readonly nextFree = new Map<string, number>();
  private readonly intervalMs: number;

  constructor(
    perSecond: number,
    private readonly timing: Timing = realTiming,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`perSecond must be positive; got ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
  }

  async wait(key = ''): Promise<void> {
    if (this.intervalMs === 0) return;
    const now = this.timing.now();
    const slot = Math.max(now, this.nextFree.get(key) ?? now);
    this.nextFree.set(key, slot + this.intervalMs);
    if (this.nextFree.size > FORGET_AFTER_ENTRIES) {
      for (const [k, free] of this.nextFree) if (free <= now) this.nextFree.delete(k);
    }
    if (slot > now) await this.timing.sleep(slot - now);
  }
}

/**
 * At most `perSecond` requests per key in any one-second window, as AWS counts a thing's shadow requests: a read
 * and the write that follows it go out back to back, and only a burst beyond the limit waits. Each request
 * reserves the earliest slot that keeps the window within the limit.
 */
export class WindowLimiter {
  private readonly reserved = new Map<string, number[]>();

  constructor(
    private readonly perSecond: number,
    private readonly timing: Timing = realTiming,
  ) {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`perSecond must be a positive integer; got ${perSecond}`);
  }

  async wait(key: string): Promise<void> {
    const now = this.timing.now();
    const times = (this.reserved.get(key) ?? []).filter((t) => t > now - 1000);
    const slot = times.length < this.perSecond ? now : times[times.length - this.perSecond]! + 1000;
    times.push(slot);
    this.reserved.set(key, times);
    if (this.reserved.size > FORGET_AFTER_ENTRIES) {
      for (const [k, list] of this.reserved) if (list.at(-1)! <= now - 1000) this.reserved.delete(k);
    }
    if (slot > now) await this.timing.sleep(slot - now);
  }
}

/** "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): uniform in [0, min(cap, base·2^attempt)). */
export function fullJitterDelayMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return random() * Math.min(capMs, baseMs * 2 ** attempt);
}
