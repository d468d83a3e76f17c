import * as z from 'zod';
import { Celsius, DeviceId, Instant } from './primitives.ts';

export const TELEMETRY_SCHEMA_V1 = 'hearth.telemetry/1';

/** Largest telemetry message accepted, in bytes of UTF-8 JSON. */
export const MAX_TELEMETRY_BYTES = 4096;

/**
 * What a heater publishes every minute or so on its Basic Ingest topic.
 * `seq` increases by one per message from a device and, with `ts`, makes delivery idempotent.
 */
export const TelemetryMessage = z
  .object({
    schema: z.literal(TELEMETRY_SCHEMA_V1),
    deviceId: DeviceId,
    seq: z.int().min(0),
    ts: Instant,
    roomC: Celsius,
    powerW: z.number().min(0).max(20_000),
    computeW: z.number().min(0).max(20_000).optional(),
    outdoorC: Celsius.optional(),
    chipC: Celsius.optional(),
    planVersion: z.int().min(0).optional(),
    mode: z.enum(['auto', 'manual', 'off', 'fallback', 'safety']).optional(),
  })
  .strict();
export type TelemetryMessage = z.infer<typeof TelemetryMessage>;
