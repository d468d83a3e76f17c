import type { DeviceRecord } from '../../../schemas/device.ts';
import { GROUP_PREFIXES } from '../devices/thing-groups.ts';

/** A program every device answers: plain dispatches without a program of their own. */
export const FLEET_WIDE_PROGRAM = 'dispatch';

/** What an event addresses, as stored: its program and its targets (3.1 strings or 3.0 values maps). */
export interface EventAddress {
  programID: string;
  targets?: readonly unknown[] | null | undefined;
}

/** 3.0 target types that name devices, and those that name groups of them. */
const RESOURCE_TYPES = new Set(['RESOURCE_NAME', 'VEN_NAME', 'RESOURCE']);
const GROUP_TYPES = new Set(['GROUP', 'FEEDER', 'ZONE']);

interface Selector {
  resources: Set<string>;
  groups: Set<string>;
}

/**
 * Targets as sets of names. A 3.1 target is a bare string, matched against device ids and group names
 * (feeder, price zone, or a thing-group name like `feeder-F1`); a 3.0 target is `{ type, values }`.
 * Targets of a type we do not know are left out; `undefined` when no target was understood at all.
 */
function selectorOf(targets: readonly unknown[]): Selector | undefined {
  const selector: Selector = { resources: new Set(), groups: new Set() };
  let understood = false;
  for (const target of targets) {
    if (typeof target === 'string') {
      selector.resources.add(target);
      selector.groups.add(target);
      understood = true;
    } else if (target && typeof target === 'object') {
      const { type, values } = target as { type?: unknown; values?: unknown };
      if (typeof type !== 'string' || !Array.isArray(values)) continue;
      const into = RESOURCE_TYPES.has(type) ? selector.resources : GROUP_TYPES.has(type) ? selector.groups : undefined;
      if (!into) continue;
      for (const v of values) if (typeof v === 'string') into.add(v);
      understood = true;
    }
  }
  return understood ? selector : undefined;
}

const groupNames = (d: DeviceRecord): string[] => [
  d.zone,
  `${GROUP_PREFIXES.zone}${d.zone}`,
  ...(d.feederId ? [d.feederId, `${GROUP_PREFIXES.feeder}${d.feederId}`] : []),
];

/**
 * The devices an event is for: those enrolled in its program (every device for a fleet-wide dispatch),
 * narrowed to its targets. Targets that name nothing we know (a type we do not read) narrow nothing, so an
 * event is never silently dropped for a target format; targets we read but that match no device select none.
 */
export function devicesTargeted(event: EventAddress, devices: readonly DeviceRecord[]): DeviceRecord[] {
  const enrolled = event.programID === FLEET_WIDE_PROGRAM ? devices : devices.filter((d) => d.drProgramId === event.programID);
  const selector = event.targets?.length ? selectorOf(event.targets) : undefined;
  if (!selector) return [...enrolled];
  return enrolled.filter((d) => selector.resources.has(d.deviceId) || groupNames(d).some((g) => selector.groups.has(g)));
}
