import type { DrSchedule } from './event-schedule.ts';

/** What the fleet must do over one stretch of time, whatever payload type the utility used to say it. */
export interface DrDirective {
  start: Date;
  end: Date | null;
  /** The fleet's import must stay at or below this (IMPORT_CAPACITY_LIMIT, or DISPATCH_SETPOINT). */
  capKW?: number;
  /** Share of the fleet's expected load to shed (SIMPLE levels, through the program's mapping). */
  shedFraction?: number;
  /** Added to the energy price in the window (PRICE). */
  priceAdderPerKWh?: number;
  /** Grid carbon intensity (GHG), an optional weight for planners. */
  ghgPerKWh?: number;
}

/**
 * OpenADR SIMPLE levels: 0 normal, 1 moderate, 2 high, 3 special. A program says what each means for its
 * loads; without that, these shares of the expected load are shed.
 */
export const DEFAULT_SIMPLE_SHED: Readonly<Record<number, number>> = { 0: 0, 1: 0.3, 2: 0.6, 3: 1 };

export function directivesOf(schedule: DrSchedule, simpleShed: Readonly<Record<number, number>> = DEFAULT_SIMPLE_SHED): DrDirective[] {
  return schedule.slots.map(({ start, end, values }) => {
    const d: DrDirective = { start, end };
    const caps = [values.IMPORT_CAPACITY_LIMIT, values.DISPATCH_SETPOINT].filter((v): v is number => v !== undefined && v >= 0);
    if (caps.length) d.capKW = Math.min(...caps);
    if (values.SIMPLE !== undefined) {
      const level = Math.round(values.SIMPLE);
      const share = simpleShed[level];
      if (share === undefined) throw new Error(`SIMPLE level ${values.SIMPLE} has no meaning in this program (levels ${Object.keys(simpleShed).join(', ')})`);
      d.shedFraction = share;
    }
    if (values.PRICE !== undefined) d.priceAdderPerKWh = values.PRICE;
    if (values.GHG !== undefined) d.ghgPerKWh = values.GHG;
    return d;
  });
}
