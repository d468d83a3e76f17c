import { functionSpecs, type FunctionKey, type ScheduleSpec } from '../../wiring/functions.ts';
import { firingsBetween, parseScheduleExpression, type ScheduleMatcher } from './schedule-expression.ts';

export interface DueSchedule {
  fn: FunctionKey;
  schedule: ScheduleSpec;
  at: Date;
}

/** The wiring's schedules on a virtual clock: which fire between two instants, in firing order. */
export class LocalScheduler {
  private readonly entries: { fn: FunctionKey; schedule: ScheduleSpec; matches: ScheduleMatcher }[] = [];

  constructor() {
    for (const [fn, spec] of functionSpecs()) {
      for (const trigger of spec.triggers) {
        if (trigger.kind !== 'schedules') continue;
        for (const schedule of trigger.schedules) {
          this.entries.push({ fn, schedule, matches: parseScheduleExpression(schedule.expression, schedule.timezone) });
        }
      }
    }
  }

  due(after: Date, upTo: Date): DueSchedule[] {
    return this.entries
      .flatMap(({ fn, schedule, matches }) => firingsBetween(matches, after, upTo).map((at) => ({ fn, schedule, at })))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
  }
}
