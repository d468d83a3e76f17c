import { checkJson } from '../../../schemas/explain.ts';
import { LifecycleEvent } from '../../../schemas/presence.ts';
import type { Clock } from '../../ports/clock.ts';
import type { KnownDevices } from '../../ports/known-devices.ts';
import type { DeviceStatusStore, QuarantineStore } from '../../ports/stores.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';

export interface RecordPresencePorts {
  devices: KnownDevices;
  status: DeviceStatusStore;
  quarantine: QuarantineStore;
  clock: Clock;
}

/**
 * - applied: the device's presence moved to this event;
 * - stale: a later event was recorded before (AWS delivers lifecycle events late, twice and out of order);
 * - not-a-device: a client that is not a registered device (the IoT console, a test client): counted, ignored;
 * - quarantined: not a lifecycle event, with the reason.
 */
export type PresenceOutcome =
  | { outcome: 'applied' | 'stale'; deviceId: string; online: boolean }
  | { outcome: 'not-a-device'; clientId: string }
  | { outcome: 'quarantined'; reason: string };

export type PresenceRecordResult = { id: string; result: PresenceOutcome } | { id: string; error: string };

export const PRESENCE_QUARANTINE_SOURCE = 'presence';
const CONCURRENCY = 16;

/**
 * A batch of lifecycle events. A device's client id is its thing name (the device policy only lets a device
 * connect as itself), so the client id names the device.
 */
export async function recordPresenceBatch(records: readonly { id: string; body: string }[], ports: RecordPresencePorts): Promise<PresenceRecordResult[]> {
  const now = ports.clock.now();
  const parsed = records.map(({ id, body }) => ({ id, body, checked: checkJson(LifecycleEvent, body, 'lifecycle event') }));
  const clientIds = parsed.flatMap((p) => (p.checked.ok ? [p.checked.value.clientId] : []));
  let known: Set<string>;
  try {
    known = clientIds.length ? await ports.devices.known(clientIds) : new Set();
  } catch (e) {
    return records.map(({ id }) => ({ id, error: (e as Error).message }));
  }

  const results: PresenceRecordResult[] = [];
  await forEachLimited(parsed, CONCURRENCY, async ({ id, body, checked }) => {
    try {
      if (!checked.ok) {
        await ports.quarantine.put(PRESENCE_QUARANTINE_SOURCE, now, checked.error, body, id);
        results.push({ id, result: { outcome: 'quarantined', reason: checked.error } });
        return;
      }
      const event = checked.value;
      if (!known.has(event.clientId)) {
        results.push({ id, result: { outcome: 'not-a-device', clientId: event.clientId } });
        return;
      }
      const online = event.eventType === 'connected';
      const outcome = await ports.status.recordPresence({
        deviceId: event.clientId,
        online,
        atMs: event.timestamp,
        versionNumber: event.versionNumber ?? 0,
        ...(event.disconnectReason !== undefined ? { disconnectReason: event.disconnectReason } : {}),
      });
      results.push({ id, result: { outcome, deviceId: event.clientId, online } });
    } catch (e) {
      results.push({ id, error: (e as Error).message });
    }
  });
  return results;
}
