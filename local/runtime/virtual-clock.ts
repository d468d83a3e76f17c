import type { Clock } from '../../functions/ports/clock.ts';

/** A clock the local twin moves by hand, so a week runs in seconds. */
export class VirtualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date): void {
    if (at.getTime() < this.current.getTime()) throw new Error(`the virtual clock only moves forward: ${at.toISOString()} < ${this.current.toISOString()}`);
    this.current = new Date(at);
  }
}
