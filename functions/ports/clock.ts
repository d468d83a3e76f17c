/** Time is a port: handlers never read the system clock, so the local twin can run a virtual one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
