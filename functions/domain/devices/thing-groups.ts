import type { DeviceRecord } from '../../../schemas/device.ts';

/**
 * The thing groups a device belongs to, from its record: its price zone, its demand-response program and its
 * feeder. Groups let operators act on a zone or a feeder (fleet indexing, jobs) and list devices by group.
 */
export const GROUP_PREFIXES = { zone: 'zone-', drProgram: 'dr-', feeder: 'feeder-' } as const;

export function thingGroupsOf(device: DeviceRecord): string[] {
  return [
    `${GROUP_PREFIXES.zone}${device.zone}`,
    ...(device.drProgramId ? [`${GROUP_PREFIXES.drProgram}${device.drProgramId}`] : []),
    ...(device.feederId ? [`${GROUP_PREFIXES.feeder}${device.feederId}`] : []),
  ];
}

/** Whether Hearth manages membership of this group (others, added by operators, are left alone). */
export const isManagedGroup = (group: string): boolean => Object.values(GROUP_PREFIXES).some((prefix) => group.startsWith(prefix));

/** AWS IoT thing attribute values: at most 800 of these characters. */
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_.,@/:#=[\]-]{0,800}$/;

/** The thing's attributes, so the registry alone tells where a device is; or why one cannot be an attribute. */
export function thingAttributesOf(device: DeviceRecord): { ok: true; attributes: Record<string, string> } | { ok: false; reason: string } {
  const attributes = { siteId: device.siteId, zone: device.zone, weatherCellId: device.weatherCellId };
  for (const [name, value] of Object.entries(attributes)) {
    if (!ATTRIBUTE_VALUE.test(value)) {
      return { ok: false, reason: `${name} '${value}' cannot be an IoT thing attribute: letters, digits and _.,@/:#=[]- only, at most 800` };
    }
  }
  return { ok: true, attributes };
}
