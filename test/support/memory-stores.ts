import type { TelemetryMessage } from '../../schemas/telemetry.ts';
import type { DeviceState, DeviceStateStore, GridEventRecord, GridEventStore, QuarantineStore, TelemetryHistory } from '../../functions/ports/stores.ts';

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
}

export class MemoryTelemetryHistory implements TelemetryHistory {
  readonly items = new Map<string, TelemetryMessage>();
  async append(m: TelemetryMessage): Promise<'stored' | 'duplicate'> {
    const key = `${m.deviceId}|${new Date(m.ts).toISOString()}|${m.seq}`;
    if (this.items.has(key)) return 'duplicate';
    this.items.set(key, m);
    return 'stored';
  }
  async range(): Promise<TelemetryMessage[]> {
    return [...this.items.values()];
  }
}

export class MemoryQuarantine implements QuarantineStore {
  readonly items: { source: string; reason: string; raw: string }[] = [];
  async put(source: string, _at: Date, reason: string, raw: string) {
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
    if (old && Date.parse(old.modifiedAt) >= Date.parse(r.modifiedAt)) return 'unchanged';
    this.items.set(r.gridEventId, r);
    return old ? 'updated' : 'new';
  }
  async get(id: string) {
    return this.items.get(id);
  }
  async listAll() {
    return [...this.items.values()];
  }
}
