import type { DrProgram } from '../../../schemas/dr-program.ts';
import { OpenAdrEvent } from '../../../schemas/openadr.ts';
import type { GridEventRecord } from '../../ports/stores.ts';
import { DEFAULT_SIMPLE_SHED, directivesOf, type DrDirective } from '../grid/dr-directives.ts';
import { eventSchedule } from '../grid/event-schedule.ts';
import type { EventAddress } from '../grid/event-targets.ts';

/** A stored grid event that still asks something of the fleet within the planning horizon. */
export interface ActiveDrEvent {
  gridEventId: string;
  programId: string;
  address: EventAddress;
  /** Lower is more important (OpenADR); a device under two events answers the more important one. */
  priority: number;
  randomizeStartMs: number;
  directives: DrDirective[];
  modifiedAt: string;
}

export const DEFAULT_RESTORE_MINUTES = 60;
export const DEFAULT_MAX_EXTRA_COLD_KH = 0.25;

export const programOf = (programs: readonly DrProgram[], programId: string): DrProgram | undefined => programs.find((p) => p.programId === programId);

function simpleShedOf(program: DrProgram | undefined): Record<number, number> {
  if (!program?.simpleShed) return { ...DEFAULT_SIMPLE_SHED };
  return { ...DEFAULT_SIMPLE_SHED, ...Object.fromEntries(Object.entries(program.simpleShed).map(([k, v]) => [Number(k), v])) };
}

/**
 * The events that ask something of [from, to): not cancelled, with a directive overlapping the window.
 * An event was validated when it was received; one that no longer reads (a program's mapping changed since)
 * is reported in `unreadable` instead of stopping the fleet's planning.
 */
export function activeDrEvents(
  records: readonly GridEventRecord[],
  from: Date,
  to: Date,
  programs: readonly DrProgram[] = [],
): { active: ActiveDrEvent[]; unreadable: { gridEventId: string; reason: string }[] } {
  const active: ActiveDrEvent[] = [];
  const unreadable: { gridEventId: string; reason: string }[] = [];
  for (const record of records) {
    if (record.cancelled) continue;
    try {
      const event = OpenAdrEvent.parse(record.event);
      const schedule = eventSchedule(event, new Date(record.receivedAt));
      const directives = directivesOf(schedule, simpleShedOf(programOf(programs, record.programId))).filter(
        (d) => d.start < to && (d.end === null || d.end > from),
      );
      if (!directives.length) continue;
      active.push({
        gridEventId: record.gridEventId,
        programId: record.programId,
        address: { programID: event.programID, targets: event.targets },
        priority: schedule.priority,
        randomizeStartMs: schedule.randomizeStartMs,
        directives,
        modifiedAt: record.modifiedAt,
      });
    } catch (e) {
      unreadable.push({ gridEventId: record.gridEventId, reason: (e as Error).message });
    }
  }
  active.sort((a, b) => a.priority - b.priority || a.modifiedAt.localeCompare(b.modifiedAt) || a.gridEventId.localeCompare(b.gridEventId));
  return { active, unreadable };
}
