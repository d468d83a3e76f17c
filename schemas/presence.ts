import * as z from 'zod';

/**
 * An AWS IoT lifecycle event, as AWS publishes it on `$aws/events/presence/<connected|disconnected>/<clientId>`
 * (developer guide, "Lifecycle events"). AWS may deliver them late, twice or out of order; `timestamp` (epoch
 * milliseconds) and `versionNumber` order them. Unknown members are kept: AWS adds fields over time.
 */
export const LifecycleEvent = z.looseObject({
  clientId: z.string().min(1).max(128),
  timestamp: z.int().min(0),
  eventType: z.enum(['connected', 'disconnected']),
  /** Monotonically increasing per client id connection; breaks ties between events of the same millisecond. */
  versionNumber: z.int().min(0).optional(),
  sessionIdentifier: z.string().max(128).optional(),
  principalIdentifier: z.string().max(512).optional(),
  ipAddress: z.string().max(64).optional(),
  /** Disconnect events only. */
  clientInitiatedDisconnect: z.boolean().optional(),
  /** Disconnect events only: CLIENT_INITIATED_DISCONNECT, CONNECTION_LOST, MQTT_KEEP_ALIVE_TIMEOUT, … */
  disconnectReason: z.string().max(64).optional(),
  thingName: z.string().max(128).optional(),
});
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;
