import * as z from 'zod';
import { Celsius, Instant } from './primitives.ts';

/** Steps in a plan: 48 h of 15-minute steps. */
export const MAX_PLAN_STEPS = 192;

export const FallbackBand = z
  .object({ minC: Celsius, maxC: Celsius })
  .strict()
  .refine((b) => b.minC < b.maxC, { message: 'minC must be below maxC' });

/**
 * `plan` named shadow, desired state: what the device draws from `start`, one entry per `stepS` seconds.
 * Past `validUntil`, or with no plan, the device runs its own thermostat inside `fallback`.
 */
export const PlanDocument = z
  .object({
    v: z.int().min(1),
    start: Instant,
    stepS: z.int().min(60).max(3600),
    powerW: z.array(z.int().min(0).max(20_000)).min(1).max(MAX_PLAN_STEPS),
    validUntil: Instant,
    fallback: FallbackBand,
  })
  .strict();
export type PlanDocument = z.infer<typeof PlanDocument>;

/**
 * `plan` named shadow, reported state: the plan version the device is executing, and why it refused a newer
 * one (`error`, cleared with null when a later plan is accepted).
 */
export const PlanReported = z.object({ v: z.int().min(0), error: z.string().max(500).nullable().optional() }).strict();
export type PlanReported = z.infer<typeof PlanReported>;

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

export const ComfortPeriod = z
  .object({ from: HourMinute, minC: Celsius, maxC: Celsius })
  .strict()
  .refine((p) => p.minC < p.maxC, { message: 'minC must be below maxC' });

/** `config` named shadow, desired state: how the household wants the room and the limits the device keeps. */
export const ConfigDocument = z
  .object({
    mode: z.enum(['auto', 'manual', 'off']),
    timezone: z.string().min(1).max(64),
    comfort: z.array(ComfortPeriod).min(1).max(24),
    safety: z.object({ maxRoomC: Celsius, maxChipC: Celsius }).strict(),
  })
  .strict();
export type ConfigDocument = z.infer<typeof ConfigDocument>;
export type ComfortPeriod = z.infer<typeof ComfortPeriod>;

/** Classic shadow, reported: what the device can do. */
export const PowerLevel = z.object({ powerW: z.number().min(0).max(20_000), computeW: z.number().min(0).max(20_000) }).strict();
export type PowerLevel = z.infer<typeof PowerLevel>;

export const Capabilities = z
  .object({
    levels: z.array(PowerLevel).min(1).max(16),
    efficiencyJPerTH: z.number().positive().optional(),
    firmware: z.string().max(64),
  })
  .strict();
export type Capabilities = z.infer<typeof Capabilities>;
