import type { GridEventRecord } from '../../ports/stores.ts';
import { activeDrEvents } from '../dr-dispatch/active-events.ts';

/** What the devices answering one grid event draw now, against what they committed to. */
export interface DrGroupNow {
  /** Σ latest telemetry power of the group's online devices. */
  measuredW: number;
  /** Σ the group's plans' power at this step: what the dispatch committed them to. */
  committedW: number;
  /** Σ the group's highest power level: the scale of a shortfall when the target is to draw nothing. */
  ratedW: number;
}

export interface DrDelivery {
  gridEventId: string;
  targetKW: number;
  deliveredKW: number;
  /** How far the group draws above its target, in % of the target (or of 5 % of its rating when the target is 0). */
  shortfallPercent: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Delivery of each event under way now. The target is the event's capacity limit at this instant when it has
 * one, else what the group's plans committed to (a shed share is planned against the group's own baseline,
 * which reconciliation does not have). Events not under way now are left out: no data is no shortfall.
 */
export function drDelivery(groups: ReadonlyMap<string, DrGroupNow>, records: readonly GridEventRecord[], now: Date): DrDelivery[] {
  const out: DrDelivery[] = [];
  const { active } = activeDrEvents(records, now, new Date(now.getTime() + 1));
  for (const event of active) {
    const group = groups.get(event.gridEventId);
    if (!group) continue;
    const caps = event.directives.flatMap((d) => (d.capKW !== undefined ? [d.capKW * 1000] : []));
    const targetW = caps.length ? Math.min(...caps) : group.committedW;
    const over = Math.max(0, group.measuredW - targetW);
    const scale = Math.max(targetW, 0.05 * group.ratedW, 1);
    out.push({
      gridEventId: event.gridEventId,
      targetKW: round(targetW / 1000, 3),
      deliveredKW: round(group.measuredW / 1000, 3),
      shortfallPercent: round((100 * over) / scale, 1),
    });
  }
  return out;
}
