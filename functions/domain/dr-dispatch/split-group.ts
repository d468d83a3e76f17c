import type { DeviceRecord } from '../../../schemas/device.ts';

/** A part of an event group planned on its own: its devices and the share of the event's kW caps it answers for. */
export interface GroupPart {
  devices: DeviceRecord[];
  /** 1 for a whole group; for a part, its devices' rated power over the group's. */
  capShare: number;
}

const ratedW = (device: DeviceRecord): number => Math.max(0, ...device.levels.map((l) => l.powerW));

/**
 * An event group too large for one planning invocation, in parts of at most `maxDevices`. A cap in kW is on the
 * whole group, so each part answers for the share of it its devices' rated power makes up; a shed share
 * (SIMPLE) applies to each part's own expected load as it does to the group's. Devices are taken feeder by
 * feeder, so a part holds whole feeders where it can and a feeder's staggered return stays in one plan.
 */
export function splitGroup(devices: readonly DeviceRecord[], maxDevices: number): GroupPart[] {
  if (!Number.isInteger(maxDevices) || maxDevices < 1) throw new RangeError(`a group part holds at least one device; got ${maxDevices}`);
  if (devices.length <= maxDevices) return [{ devices: [...devices], capShare: 1 }];
  const ordered = [...devices].sort((a, b) => (a.feederId ?? '').localeCompare(b.feederId ?? '') || a.deviceId.localeCompare(b.deviceId));
  const total = ordered.reduce((sum, d) => sum + ratedW(d), 0);
  const parts: GroupPart[] = [];
  for (let i = 0; i < ordered.length; i += maxDevices) {
    const part = ordered.slice(i, i + maxDevices);
    // A group whose devices all rate 0 W (nothing to shed) shares its caps by device count.
    const capShare = total > 0 ? part.reduce((sum, d) => sum + ratedW(d), 0) / total : part.length / ordered.length;
    parts.push({ devices: part, capShare });
  }
  return parts;
}
