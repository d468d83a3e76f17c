import type { DeviceState, DeviceStateStore, TelemetryHistory } from '../../../../functions/ports/stores.ts';
import type { TelemetryMessage } from '../../../../schemas/telemetry.ts';

/** One telemetry body as the IoT rule puts it on the queue. */
export function telemetry(deviceId: string, seq: number, ts: string, over: Partial<TelemetryMessage> = {}): string {
  return JSON.stringify({ schema: 'hearth.telemetry/1', deviceId, seq, ts, roomC: 20 + (seq % 7) / 10, powerW: seq % 2 ? 1200 : 0, ...over });
}

export const messageKey = (m: { deviceId: string; ts: string; seq: number }): string => `${m.deviceId}|${Date.parse(m.ts)}|${m.seq}`;

/**
 * The real state store, counting the messages each conditional write actually applied: across first delivery
 * and redeliveries, no message may be applied twice.
 */
export class CountingStateStore implements DeviceStateStore {
  readonly applied = new Map<string, number>();
  constructor(private readonly inner: DeviceStateStore) {}

  async advance(message: TelemetryMessage, receivedAt: Date): Promise<'applied' | 'stale'> {
    const outcome = await this.inner.advance(message, receivedAt);
    if (outcome === 'applied') this.applied.set(messageKey(message), (this.applied.get(messageKey(message)) ?? 0) + 1);
    return outcome;
  }

  get(deviceId: string): Promise<DeviceState | undefined> {
    return this.inner.get(deviceId);
  }

  getMany(deviceIds: readonly string[]): Promise<Map<string, DeviceState>> {
    return this.inner.getMany(deviceIds);
  }

  /** Messages applied more than once (must stay empty). */
  appliedTwice(): string[] {
    return [...this.applied].filter(([, n]) => n > 1).map(([key]) => key);
  }
}

/** Per device, the (ts, seq) keys history holds, sorted; a key appears once per stored item. */
export async function historyKeys(history: TelemetryHistory, deviceIds: readonly string[], from: Date, to: Date): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const id of deviceIds) out.set(id, (await history.range(id, from, to)).map(messageKey).sort());
  return out;
}

/** What history must hold: every valid message once. */
export function expectedKeys(bodies: readonly string[], deviceIds: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(deviceIds.map((id) => [id, []]));
  for (const body of new Set(bodies)) {
    const m = JSON.parse(body) as TelemetryMessage;
    out.get(m.deviceId)?.push(messageKey(m));
  }
  for (const keys of out.values()) keys.sort();
  return out;
}

/** The newest message of each device (device time, then sequence): where its latest state must end. */
export function newestOf(bodies: readonly string[]): Map<string, TelemetryMessage> {
  const out = new Map<string, TelemetryMessage>();
  for (const body of bodies) {
    const m = JSON.parse(body) as TelemetryMessage;
    const held = out.get(m.deviceId);
    if (!held || Date.parse(m.ts) > Date.parse(held.ts) || (m.ts === held.ts && m.seq > held.seq)) out.set(m.deviceId, m);
  }
  return out;
}
