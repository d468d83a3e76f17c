import type { TelemetryMessage } from '../../schemas/telemetry.ts';
import type { KnownDevices } from '../../functions/ports/known-devices.ts';
import type { DeviceState, DeviceStateStore, GridEventRecord, GridEventStore, QuarantineStore, TelemetryHistory } from '../../functions/ports/stores.ts';

/** Registry membership: the ids given, or every id when none are. */
export class MemoryKnownDevices implements KnownDevices {
  lookups = 0;
  constructor(private readonly ids?: ReadonlySet<string>) {}
  async known(deviceIds: readonly string[]): Promise<Set<string>> {
    this.lookups++;
    return new Set(deviceIds.filter((id) => !this.ids || this.ids.has(id)));
  }
}

/** In-memory stores with the DynamoDB adapters' conditions, for property tests that run thousands of cases. */
export class MemoryDeviceStateStore implements DeviceStateStore {
  readonly items = new Map<string, DeviceState>();
  async advance(m: TelemetryMessage, receivedAt: Date): Promise<'applied' | 'stale'> {
    const old = this.items.get(m.deviceId);
    const [t, ot] = [Date.parse(m.ts), old ? Date.parse(old.ts) : -Infinity];
    if (old && !(ot < t || (ot === t && old.seq < m.seq))) return 'stale';
    this.items.set(m.deviceId, { ...m, receivedAt: receivedAt.toISOString() });
    return 'applied';
  }
  async get(deviceId: string) {
    return this.items.get(deviceId);
  }
  async getMany(deviceIds: readonly string[]) {
    return new Map(deviceIds.flatMap((id) => (this.items.has(id) ? [[id, this.items.get(id)!] as const] : [])));
  }
}

export class MemoryTelemetryHistory implements TelemetryHistory {
  readonly items = new Map<string, TelemetryMessage>();
  async appendMany(messages: readonly TelemetryMessage[]) {
    for (const m of messages) this.items.set(`${m.deviceId}|${new Date(m.ts).toISOString()}|${m.seq}`, m);
    return { failed: [] };
  }
  async range(): Promise<TelemetryMessage[]> {
    return [...this.items.values()];
  }
}

export class MemoryQuarantine implements QuarantineStore {
  readonly items: { source: string; reason: string; raw: string }[] = [];
  /** Queued messages filed, as the DynamoDB store keys them: a redelivery files nothing new. */
  private readonly filed = new Set<string>();
  async put(source: string, _at: Date, reason: string, raw: string, messageId?: string) {
    if (messageId !== undefined) {
      const key = JSON.stringify([source, messageId, raw]);
      if (this.filed.has(key)) return;
      this.filed.add(key);
    }
    this.items.push({ source, reason, raw });
  }
  async list(source: string) {
    return this.items.filter((i) => i.source === source).map((i) => ({ at: '', reason: i.reason, raw: i.raw }));
  }
}

export class MemoryGridEventStore implements GridEventStore {
  readonly items = new Map<string, GridEventRecord>();
  async upsert(r: GridEventRecord): Promise<'new' | 'updated' | 'unchanged'> {
    const old = this.items.get(r.gridEventId);
    const [oldMs, newMs] = [old && Date.parse(old.modifiedAt), Date.parse(r.modifiedAt)];
    const cancelsAtSameTime = old !== undefined && oldMs === newMs && r.cancelled && !old.cancelled;
    if (old && oldMs! >= newMs && !cancelsAtSameTime) return 'unchanged';
    this.items.set(r.gridEventId, { ...r, announced: false });
    return old ? 'updated' : 'new';
  }
  async markAnnounced(id: string, modifiedAt: string) {
    const item = this.items.get(id);
    if (item && Date.parse(item.modifiedAt) === Date.parse(modifiedAt)) item.announced = true;
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async listAll() {
    return [...this.items.values()];
  }
}
