import * as z from 'zod';
import { DeviceId, Instant, Zone } from './primitives.ts';

/** Detail types on the Hearth EventBridge bus. One schema each; the wiring routes them by name. */
export const EVENT_SOURCE = 'hearth';

export const PricesPublished = z
  .object({ zone: Zone, source: z.string().min(1), from: Instant, to: Instant, resolutionMinutes: z.int().positive() })
  .strict();

export const ForecastUpdated = z
  .object({ cellId: z.string().min(1), source: z.string().min(1), issuedAt: Instant, from: Instant, to: Instant })
  .strict();

export const GridEventReceived = z
  .object({
    gridEventId: z.string().min(1),
    programId: z.string().min(1),
    modifiedAt: Instant,
    cancelled: z.boolean(),
  })
  .strict();

/** A cohort of devices whose plans were stored and now wait to be pushed to their shadows. */
export const PlansStored = z
  .object({ reason: z.string().min(1), devices: z.array(z.object({ deviceId: DeviceId, v: z.int().min(1) }).strict()).min(1).max(500) })
  .strict();

/** Ask for new plans: for every device, a zone, or a list of devices. */
export const ReplanRequested = z
  .object({
    reason: z.string().min(1),
    zone: Zone.optional(),
    cellId: z.string().optional(),
    deviceIds: z.array(DeviceId).max(500).optional(),
    /** The grid event that changed: its devices are replanned together, even when it was just cancelled. */
    gridEventId: z.string().min(1).max(160).optional(),
  })
  .strict();

/**
 * A share of a replan too large for one invocation: these devices, planned together by one invocation of
 * plan-devices. With `gridEventId` they are that event's whole group (its cap is on their sum).
 */
export const PlanCohortRequested = z
  .object({
    reason: z.string().min(1),
    deviceIds: z.array(DeviceId).min(1).max(5000),
    gridEventId: z.string().min(1).max(160).optional(),
    /** A part of a grid event's group: the share of the event's kW caps these devices answer for (absent: all). */
    capShare: z.number().min(0).max(1).optional(),
  })
  .strict();

export const EventDetails = {
  PricesPublished,
  ForecastUpdated,
  GridEventReceived,
  PlansStored,
  ReplanRequested,
  PlanCohortRequested,
} as const;
export type EventDetailType = keyof typeof EventDetails;
export type EventDetail<T extends EventDetailType> = z.infer<(typeof EventDetails)[T]>;
