import * as z from 'zod';
import { checkJson, explainIssues } from '../../../schemas/explain.ts';
import { MAX_TELEMETRY_BYTES, TelemetryMessage } from '../../../schemas/telemetry.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DeviceStateStore, QuarantineStore, TelemetryHistory } from '../../ports/stores.ts';

export interface IngestTelemetryPorts {
  state: DeviceStateStore;
  history: TelemetryHistory;
  quarantine: QuarantineStore;
  clock: Clock;
}

export type IngestOutcome =
  | { outcome: 'applied' | 'stale' | 'duplicate'; deviceId: string }
  | { outcome: 'quarantined'; reason: string };

/** Device clocks drift; a message stamped further ahead than this is refused rather than trusted. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** History kept for room-model fitting and measurement & verification of DR events. */
export const HISTORY_RETENTION_DAYS = 400;
export const QUARANTINE_SOURCE = 'telemetry';

/** The IoT rule adds the device id it read from the topic; the device's own claim must agree with it. */
const TOPIC_DEVICE_FIELD = 'topicDeviceId';
const TelemetryEnvelope = z.looseObject({ [TOPIC_DEVICE_FIELD]: z.unknown().optional() });

function validate(raw: string, now: Date): { ok: true; message: TelemetryMessage } | { ok: false; reason: string } {
  const bytes = new TextEncoder().encode(raw).length;
  if (bytes > MAX_TELEMETRY_BYTES) return { ok: false, reason: `telemetry is ${bytes} bytes; the limit is ${MAX_TELEMETRY_BYTES}` };
  const envelope = checkJson(TelemetryEnvelope, raw, 'telemetry');
  if (!envelope.ok) return { ok: false, reason: envelope.error };
  const { [TOPIC_DEVICE_FIELD]: topicDeviceId, ...body } = envelope.value;
  const checked = TelemetryMessage.safeParse(body);
  if (!checked.success) {
    return { ok: false, reason: `telemetry is invalid: ${explainIssues(checked.error)}` };
  }
  const message = checked.data;
  if (topicDeviceId !== undefined && topicDeviceId !== message.deviceId) {
    return { ok: false, reason: `deviceId ${message.deviceId} does not match the topic's device ${String(topicDeviceId)}` };
  }
  const aheadMs = Date.parse(message.ts) - now.getTime();
  if (aheadMs > MAX_FUTURE_SKEW_MS) {
    return { ok: false, reason: `ts ${message.ts} is ${Math.round(aheadMs / 1000)} s in the future; at most ${MAX_FUTURE_SKEW_MS / 1000} s is accepted` };
  }
  return { ok: true, message };
}

/**
 * One telemetry message: validated, then the latest state moved forward and the history appended.
 * Both writes are conditional and idempotent, so a retry after a crash between them completes the work
 * without applying anything twice. Refused input is kept in quarantine with its reason.
 */
export async function ingestTelemetry(raw: string, ports: IngestTelemetryPorts): Promise<IngestOutcome> {
  const now = ports.clock.now();
  const valid = validate(raw, now);
  if (!valid.ok) {
    await ports.quarantine.put(QUARANTINE_SOURCE, now, valid.reason, raw);
    return { outcome: 'quarantined', reason: valid.reason };
  }
  const { message } = valid;
  const advanced = await ports.state.advance(message, now);
  const expiresAt = new Date(Date.parse(message.ts) + HISTORY_RETENTION_DAYS * 86_400_000);
  const appended = await ports.history.append(message, expiresAt);
  if (advanced === 'applied') return { outcome: 'applied', deviceId: message.deviceId };
  return { outcome: appended === 'duplicate' ? 'duplicate' : 'stale', deviceId: message.deviceId };
}
