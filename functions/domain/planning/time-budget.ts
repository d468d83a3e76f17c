import type { Timer } from './thermostat-policy.ts';

export type { Timer };

/** performance.now() is a clock for measuring durations, not the time of day, so domain code may read it. */
export const defaultTimer: Timer = () => performance.now();

export interface Deadline {
  started: number;
  expired: () => boolean;
  elapsed: () => number;
}

/** A hard time budget: `expired()` turns true once more than `budgetMs` have passed since it was made. */
export function deadline(timer: Timer, budgetMs: number): Deadline {
  const started = timer();
  return { started, expired: () => timer() - started > budgetMs, elapsed: () => timer() - started };
}
