import type { PlanDevicesPorts } from '../../functions/domain/planning/plan-devices.ts';
import type { DeviceRegistry, DeviceStateStore, PlanStore, StoredPlan } from '../../functions/ports/stores.ts';
import type { SimulatedHeater } from '../../local/fleet/generate-fleet.ts';
import { MemoryGridEventStore } from './memory-stores.ts';
import { RecordingPublisher } from './recording-publisher.ts';

/**
 * plan-devices' ports in memory for a generated fleet: every heater at its initial room temperature, the same
 * price and outdoor series for all, every stored version of every plan kept, and grid events in memory.
 */
export function memoryPlanningPorts(fleet: readonly SimulatedHeater[], market: { prices: readonly number[]; outdoorC: readonly number[]; now: Date }) {
  const plans = new Map<string, StoredPlan[]>();
  const planStore: PlanStore = {
    latest: async (id) => plans.get(id)?.at(-1),
    getMany: async () => new Map(),
    put: async (plan) => {
      const list = plans.get(plan.deviceId) ?? [];
      if (list.some((p) => p.plan.v === plan.plan.v)) return 'exists';
      plans.set(plan.deviceId, [...list, plan]);
      return 'stored';
    },
  };
  const byId = new Map(fleet.map((h) => [h.record.deviceId, h]));
  const devices = {
    listAll: async () => fleet.map((h) => h.record),
    get: async (id: string) => byId.get(id)?.record,
    getMany: async (ids: readonly string[]) => ids.flatMap((id) => byId.get(id)?.record ?? []),
  } as unknown as DeviceRegistry;
  const stateOf = (id: string) => ({ roomC: byId.get(id)!.initialRoomC });
  const states = {
    get: async (id: string) => stateOf(id),
    getMany: async (ids: readonly string[]) => new Map(ids.map((id) => [id, stateOf(id)])),
  } as unknown as DeviceStateStore;
  const events = new RecordingPublisher();
  const gridEvents = new MemoryGridEventStore();
  const ports: PlanDevicesPorts = {
    devices,
    states,
    plans: planStore,
    market: {
      priceSteps: async () => ({ values: [...market.prices], known: market.prices.map(() => true) }),
      outdoorSteps: async () => ({ values: [...market.outdoorC], known: market.outdoorC.map(() => true) }),
    },
    events,
    clock: { now: () => market.now },
  };
  return { ports, plans, events, gridEvents };
}
