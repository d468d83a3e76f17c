import type { TelemetryMessage } from '../../../schemas/telemetry.ts';
import type { Clock } from '../../ports/clock.ts';
import type { KnownDevices } from '../../ports/known-devices.ts';
import type { DeviceState, DeviceStateStore, QuarantineStore, TelemetryHistory } from '../../ports/stores.ts';
import { forEachLimited } from '../concurrency/for-each-limited.ts';
import { compareDeviceOrder, DEFAULT_STATE_REFRESH, needsStateWrite, type StateRefreshPolicy } from './state-refresh.ts';
import { validateTelemetry } from './validate-telemetry.ts';

export { MAX_FUTURE_SKEW_MS } from './validate-telemetry.ts';

export interface IngestTelemetryPorts {
  devices: KnownDevices;
  state: DeviceStateStore;
  history: TelemetryHistory;
  quarantine: QuarantineStore;
  clock: Clock;
}

/**
 * - applied: moved the device's latest state forward;
 * - coalesced: newer than the latest state but not worth a write of it (see state-refresh.ts), or superseded by
 *   a newer message of the same batch; stored in history;
 * - stale: older than the latest state (delivered late); stored in history;
 * - duplicate: the latest state already is this message, or the batch held it twice;
 * - unknown-device: a valid message from a device that is not registered; quarantined;
 * - quarantined: refused (malformed, oversized, invalid, future-dated, mis-addressed), with the reason.
 */
export type IngestOutcome =
  | { outcome: 'applied' | 'coalesced' | 'stale' | 'duplicate'; deviceId: string }
  | { outcome: 'unknown-device'; deviceId: string; reason: string }
  | { outcome: 'quarantined'; reason: string };

export interface TelemetryRecord {
  id: string;
  body: string;
}

/** Per record: its outcome, or the error that kept it from being stored (the queue delivers it again). */
export type RecordResult = { id: string; result: IngestOutcome } | { id: string; error: string };

/** History kept for room-model fitting and measurement & verification of DR events. */
export const HISTORY_RETENTION_DAYS = 400;
export const QUARANTINE_SOURCE = 'telemetry';
/** Conditional state writes in flight at once per batch. */
const STATE_WRITE_CONCURRENCY = 16;

const historyExpiry = (m: TelemetryMessage): Date => new Date(Date.parse(m.ts) + HISTORY_RETENTION_DAYS * 86_400_000);
const messageKey = (m: TelemetryMessage): string => `${m.deviceId}|${Date.parse(m.ts)}|${m.seq}`;

/** How each message of one device relates to its stored state, and which one (if any) moves the state. */
function classifyDevice(
  messages: TelemetryMessage[],
  stored: DeviceState | undefined,
  policy: StateRefreshPolicy,
): { outcomes: Map<TelemetryMessage, 'coalesced' | 'stale' | 'duplicate'>; write?: TelemetryMessage } {
  const outcomes = new Map<TelemetryMessage, 'coalesced' | 'stale' | 'duplicate'>();
  const newer: TelemetryMessage[] = [];
  for (const m of messages) {
    const order = stored ? compareDeviceOrder(m, stored) : 1;
    if (order > 0) newer.push(m);
    else outcomes.set(m, order === 0 ? 'duplicate' : 'stale');
  }
  newer.sort(compareDeviceOrder);
  const newest = newer.at(-1);
  for (const m of newer) if (m !== newest) outcomes.set(m, 'coalesced');
  if (!newest) return { outcomes };
  if (needsStateWrite(stored, newest, policy)) return { outcomes, write: newest };
  outcomes.set(newest, 'coalesced');
  return { outcomes };
}

/**
 * A batch of telemetry records, as one SQS batch delivers them. Each record is validated; valid messages of
 * registered devices are appended to history (idempotent by key, batched) and move their device's latest state
 * forward (one conditional write per device at most, and only when worth it). Refused input is quarantined with
 * its reason. A record fails only when something it needed could not be stored, and then it alone fails.
 */
export async function ingestTelemetryBatch(
  records: readonly TelemetryRecord[],
  ports: IngestTelemetryPorts,
  policy: StateRefreshPolicy = DEFAULT_STATE_REFRESH,
): Promise<RecordResult[]> {
  const now = ports.clock.now();
  const results = new Map<string, RecordResult>();
  const refused: { id: string; raw: string; reason: string; deviceId?: string }[] = [];
  const accepted: { id: string; body: string; message: TelemetryMessage }[] = [];
  for (const { id, body } of records) {
    const valid = validateTelemetry(body, now);
    if (valid.ok) accepted.push({ id, body, message: valid.message });
    else refused.push({ id, raw: body, reason: valid.reason });
  }

  const failAll = (ids: readonly string[], error: unknown): void => {
    for (const id of ids) results.set(id, { id, error: (error as Error).message ?? String(error) });
  };

  let known: Set<string> | undefined;
  try {
    known = accepted.length ? await ports.devices.known(accepted.map((a) => a.message.deviceId)) : new Set();
  } catch (e) {
    failAll(
      accepted.map((a) => a.id),
      e,
    );
  }

  const fromKnown: { id: string; message: TelemetryMessage }[] = [];
  for (const a of known ? accepted : []) {
    if (known!.has(a.message.deviceId)) fromKnown.push(a);
    else refused.push({ id: a.id, raw: a.body, reason: `device ${a.message.deviceId} is not registered`, deviceId: a.message.deviceId });
  }

  // A copy within the batch (a device's retransmission, the rule firing twice) is dropped before any write.
  const firstOfKey = new Map<string, { id: string; message: TelemetryMessage }>();
  for (const a of fromKnown) {
    const key = messageKey(a.message);
    if (firstOfKey.has(key)) results.set(a.id, { id: a.id, result: { outcome: 'duplicate', deviceId: a.message.deviceId } });
    else firstOfKey.set(key, a);
  }
  const unique = [...firstOfKey.values()];

  const byDevice = new Map<string, TelemetryMessage[]>();
  for (const { message } of unique) byDevice.set(message.deviceId, [...(byDevice.get(message.deviceId) ?? []), message]);

  const outcomeOf = new Map<TelemetryMessage, IngestOutcome['outcome']>();
  const errorOf = new Map<TelemetryMessage, string>();
  const storeAccepted = async (): Promise<void> => {
    if (unique.length === 0) return;
    const [stored, history] = await Promise.all([
      ports.state.getMany([...byDevice.keys()]),
      ports.history.appendMany(
        unique.map((u) => u.message),
        historyExpiry,
      ),
    ]);
    for (const m of history.failed) errorOf.set(m, `history not stored: ${history.error ?? 'unprocessed'}`);
    const writes: TelemetryMessage[] = [];
    for (const [deviceId, messages] of byDevice) {
      const { outcomes, write } = classifyDevice(messages, stored.get(deviceId), policy);
      for (const [m, outcome] of outcomes) outcomeOf.set(m, outcome);
      if (write) writes.push(write);
    }
    await forEachLimited(writes, STATE_WRITE_CONCURRENCY, async (m) => {
      try {
        // A concurrent batch may have moved the state past this message since it was read: then it is stale.
        outcomeOf.set(m, await ports.state.advance(m, now));
      } catch (e) {
        errorOf.set(m, `state not stored: ${(e as Error).message}`);
      }
    });
  };

  const quarantine = async (): Promise<void> => {
    await forEachLimited(refused, STATE_WRITE_CONCURRENCY, async (r) => {
      try {
        await ports.quarantine.put(QUARANTINE_SOURCE, now, r.reason, r.raw, r.id);
        const result: IngestOutcome =
          r.deviceId !== undefined ? { outcome: 'unknown-device', deviceId: r.deviceId, reason: r.reason } : { outcome: 'quarantined', reason: r.reason };
        results.set(r.id, { id: r.id, result });
      } catch (e) {
        failAll([r.id], e);
      }
    });
  };

  const [stored] = await Promise.allSettled([storeAccepted(), quarantine()]);
  if (stored.status === 'rejected') {
    failAll(
      unique.map((u) => u.id),
      stored.reason,
    );
  } else {
    for (const { id, message } of unique) {
      const error = errorOf.get(message);
      results.set(id, error !== undefined ? { id, error } : { id, result: { outcome: outcomeOf.get(message) ?? 'coalesced', deviceId: message.deviceId } as IngestOutcome });
    }
  }
  return records.map((r) => results.get(r.id) ?? { id: r.id, error: 'not processed' });
}

/** One record; throws when it could not be stored. */
export async function ingestTelemetry(raw: string, ports: IngestTelemetryPorts, policy?: StateRefreshPolicy): Promise<IngestOutcome> {
  const [result] = await ingestTelemetryBatch([{ id: 'single', body: raw }], ports, policy);
  if (!result || 'error' in result) throw new Error(result?.error ?? 'not processed');
  return result.result;
}
