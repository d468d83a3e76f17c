import { explainIssues } from '../../../schemas/explain.ts';
import { MAX_TELEMETRY_BYTES, TelemetryMessage } from '../../../schemas/telemetry.ts';

/** Device clocks drift; a message stamped further ahead than this is refused rather than trusted. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** The IoT rule adds the device id it read from the topic; the device's own claim must agree with it. */
const TOPIC_DEVICE_FIELD = 'topicDeviceId';

/** UTF-8 takes at most 3 bytes per UTF-16 code unit: most messages are known to fit without encoding them. */
const utf8Bytes = (text: string): number => (text.length * 3 <= MAX_TELEMETRY_BYTES ? text.length : new TextEncoder().encode(text).length);

export type ValidatedTelemetry = { ok: true; message: TelemetryMessage } | { ok: false; reason: string };

/** One raw record as the IoT rule delivered it: size, JSON, schema, topic agreement, and not from the future. */
export function validateTelemetry(raw: string, now: Date): ValidatedTelemetry {
  const bytes = utf8Bytes(raw);
  if (bytes > MAX_TELEMETRY_BYTES) return { ok: false, reason: `telemetry is ${bytes} bytes; the limit is ${MAX_TELEMETRY_BYTES}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { ok: false, reason: `telemetry is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: `telemetry is invalid: (root): expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}` };
  }
  const { [TOPIC_DEVICE_FIELD]: topicDeviceId, ...body } = parsed as Record<string, unknown>;
  const checked = TelemetryMessage.safeParse(body);
  if (!checked.success) return { ok: false, reason: `telemetry is invalid: ${explainIssues(checked.error)}` };
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
