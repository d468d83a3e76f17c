import type { DeviceRegistry, DeviceStatusStore } from '../../ports/stores.ts';
import type { ThingRegistry } from '../../ports/thing-registry.ts';

/** What registering, describing, listing and decommissioning devices touch. */
export interface DeviceAdminPorts {
  registry: DeviceRegistry;
  things: ThingRegistry;
  status: DeviceStatusStore;
}
