import * as z from 'zod';
import { Instant } from './primitives.ts';

/** Longest horizon a planner accepts: a week of 15-minute steps. */
export const MAX_PLANNING_STEPS = 672;
/** A cap no heater reaches: a step the problem leaves uncapped (the schema's caps are finite). */
export const MAX_CAP_W = 1_000_000;

/**
 * Magnitudes a real problem has, with wide margins. Beyond them the arithmetic stops meaning anything: a
 * revenue of 1e308 per kWh makes every cost Infinity or NaN, and the plan printed says `null`.
 */
const Temperature = z.number().min(-100).max(150);
const PerKWh = z.number().min(-1000).max(1000);
const Watts = z.number().min(-1_000_000).max(1_000_000);
const Euros = z.number().min(-1_000_000).max(1_000_000);
const series = (value: z.ZodNumber) => z.array(value).min(1).max(MAX_PLANNING_STEPS);
const Temperatures = series(Temperature);

/**
 * One device's planning problem: the room, its forecasts and prices per step, the power levels it can draw,
 * and what comfort is worth. Every per-step array has the same length N; temperatures in the comfort band
 * bound the temperature at the END of each step.
 */
export const PlanningProblem = z
  .object({
    start: Instant,
    stepMinutes: z.int().min(1).max(60),
    initialTempC: z.number().min(-40).max(80),
    room: z.object({ uaWPerK: z.number().positive().max(2000), capacityKWhPerK: z.number().positive().max(100) }).strict(),
    otherHeatW: z.union([Watts, series(Watts)]),
    outdoorC: Temperatures,
    priceEurPerKWh: series(PerKWh),
    computeRevenueEurPerKWh: z.union([PerKWh, series(PerKWh)]),
    levels: z
      .array(z.object({ powerW: z.number().min(0).max(20_000), computeW: z.number().min(0).max(20_000) }).strict())
      .min(1)
      .max(16),
    comfort: z.object({ minC: Temperatures, maxC: Temperatures }).strict(),
    capW: z.array(z.number().min(0).max(MAX_CAP_W)).max(MAX_PLANNING_STEPS).nullable(),
    penalty: z.object({ belowEurPerKh: Euros.min(0), aboveEurPerKh: Euros.min(0) }).strict(),
    terminalValueEurPerK: Euros.optional(),
    switchPenaltyEur: Euros.min(0).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const n = p.outdoorC.length;
    const check = (path: string[], len: number) => {
      if (len !== n) ctx.addIssue({ code: 'custom', path, message: `has ${len} steps; outdoorC has ${n}` });
    };
    check(['priceEurPerKWh'], p.priceEurPerKWh.length);
    check(['comfort', 'minC'], p.comfort.minC.length);
    check(['comfort', 'maxC'], p.comfort.maxC.length);
    if (Array.isArray(p.otherHeatW)) check(['otherHeatW'], p.otherHeatW.length);
    if (Array.isArray(p.computeRevenueEurPerKWh)) check(['computeRevenueEurPerKWh'], p.computeRevenueEurPerKWh.length);
    if (p.capW) check(['capW'], p.capW.length);
    p.levels.forEach((l, i) => {
      if (l.computeW > l.powerW) ctx.addIssue({ code: 'custom', path: ['levels', i, 'computeW'], message: 'exceeds powerW' });
    });
  });
export type PlanningProblem = z.infer<typeof PlanningProblem>;

/** What a planner answers: a level's power per step, the temperature it expects, and what it costs. */
export interface PlanResult {
  powerW: number[];
  predictedTempC: number[];
  cost: { energyEur: number; revenueEur: number; penaltyEur: number; objectiveEur: number };
  solveMs: number;
}
