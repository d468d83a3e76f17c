import type { DeviceRecord } from '../../../schemas/device.ts';
import type { DeviceStatus } from '../../ports/stores.ts';
import type { ThingSummary } from '../../ports/thing-registry.ts';
import type { DeviceAdminPorts } from './device-admin-ports.ts';

export interface DeviceDescription {
  deviceId: string;
  /** Absent when the registry has no record (a thing left behind by a failed registration). */
  record?: DeviceRecord;
  thing?: ThingSummary & { groups: string[]; certificateArns: string[] };
  status?: DeviceStatus;
}

/** Everything known about one device; undefined when neither the registry nor IoT knows it. */
export async function describeDevice(deviceId: string, ports: DeviceAdminPorts): Promise<DeviceDescription | undefined> {
  const [record, thing, statuses] = await Promise.all([ports.registry.get(deviceId), ports.things.describeThing(deviceId), ports.status.getMany([deviceId])]);
  if (!record && !thing) return undefined;
  const [groups, certificateArns] = thing ? await Promise.all([ports.things.groupsOf(deviceId), ports.things.principalsOf(deviceId)]) : [[], []];
  const status = statuses.get(deviceId);
  return {
    deviceId,
    ...(record ? { record } : {}),
    ...(thing ? { thing: { ...thing, groups, certificateArns } } : {}),
    ...(status ? { status } : {}),
  };
}

/** Device ids of a thing group (`zone-DK2`, `dr-<program>`, `feeder-<id>`), or of the whole registry. */
export async function listDevices(ports: DeviceAdminPorts, group?: string): Promise<string[]> {
  if (group !== undefined) return (await ports.things.thingsInGroup(group)).sort();
  const ids: string[] = [];
  for await (const page of ports.registry.pages()) ids.push(...page.map((d) => d.deviceId));
  return ids.sort();
}
