import * as z from 'zod';

/** An instant with an explicit offset, normalised by consumers to UTC. */
export const Instant = z.iso.datetime({ offset: true });

/** IoT thing names: the characters AWS IoT allows, bounded so keys and topics stay small. */
export const DeviceId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only (an IoT thing name)');

export const Celsius = z.number().min(-60).max(120);

/** A price zone such as DK2, DE-LU, ERCOT. */
export const Zone = z.string().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/);

export const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
