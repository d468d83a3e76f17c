import type { DeviceRecord } from '../../schemas/device.ts';
import type { DeviceRegistry, DeviceStatus, DeviceStatusStore, PlanStore, PresenceChange, StoredPlan } from '../../functions/ports/stores.ts';

/**
 * In-memory ports with the DynamoDB adapters' semantics, for benchmarks that replay a fleet for a day in
 * seconds: the storage is not what they measure.
 */
export class MemoryDeviceRegistry implements DeviceRegistry {
  readonly items = new Map<string, DeviceRecord>();
  async get(id: string) {
    return this.items.get(id);
  }
  async getMany(ids: readonly string[]) {
    return [...new Set(ids)].flatMap((id) => this.items.get(id) ?? []);
  }
  async put(device: DeviceRecord) {
    this.items.set(device.deviceId, device);
  }
  async delete(id: string) {
    this.items.delete(id);
  }
  async listAll() {
    return [...this.items.values()];
  }
  async *pages() {
    yield [...this.items.values()];
  }
  async listByZone(zone: string) {
    return [...this.items.values()].filter((d) => d.zone === zone);
  }
  async listByWeatherCell(cellId: string) {
    return [...this.items.values()].filter((d) => d.weatherCellId === cellId);
  }
}

export class MemoryPlans implements PlanStore {
  readonly items = new Map<string, StoredPlan[]>();
  async latest(id: string) {
    return this.items.get(id)?.at(-1);
  }
  async put(plan: StoredPlan): Promise<'stored' | 'exists'> {
    const list = this.items.get(plan.deviceId) ?? [];
    if (list.some((p) => p.plan.v === plan.plan.v)) return 'exists';
    list.push(plan);
    list.sort((a, b) => a.plan.v - b.plan.v);
    this.items.set(plan.deviceId, list);
    return 'stored';
  }
  async getMany(keys: readonly { deviceId: string; v: number }[]) {
    return new Map(keys.flatMap((k) => {
      const found = this.items.get(k.deviceId)?.find((p) => p.plan.v === k.v);
      return found ? [[k.deviceId, found] as const] : [];
    }));
  }
}

export class MemoryDeviceStatus implements DeviceStatusStore {
  readonly items = new Map<string, DeviceStatus>();
  async recordPresence(change: PresenceChange): Promise<'applied' | 'stale'> {
    this.items.set(change.deviceId, { ...this.items.get(change.deviceId), deviceId: change.deviceId, online: change.online, presenceAt: new Date(change.atMs).toISOString() });
    return 'applied';
  }
  async recordDesiredPlan(deviceId: string, v: number, at: Date): Promise<'applied' | 'stale'> {
    const old = this.items.get(deviceId);
    if ((old?.desiredPlanV ?? 0) >= v) return 'stale';
    this.items.set(deviceId, { ...old, deviceId, desiredPlanV: v, desiredAt: at.toISOString() });
    return 'applied';
  }
  async getMany(ids: readonly string[]) {
    return new Map(ids.flatMap((id) => (this.items.has(id) ? [[id, this.items.get(id)!] as const] : [])));
  }
  async delete(id: string) {
    this.items.delete(id);
  }
}
