import type { DeviceRecord } from '../../../schemas/device.ts';
import type { DrProgram } from '../../../schemas/dr-program.ts';
import { OpenAdrEvent } from '../../../schemas/openadr.ts';
import type { DeviceRegistry, GridEventStore } from '../../ports/stores.ts';
import { devicesTargeted } from '../grid/event-targets.ts';
import { activeDrEvents, type ActiveDrEvent } from './active-events.ts';

/** The devices answering one event: planned together, because the event caps their sum. */
export interface EventGroup {
  event: ActiveDrEvent;
  devices: DeviceRecord[];
  /** When these devices are a part of the event's group (split-group.ts): the share of its kW caps they answer for. */
  capShare?: number;
}

export interface EventGroupsInput {
  trigger: { gridEventId?: string | undefined };
  /** The devices the trigger asks to replan. */
  selected: readonly DeviceRecord[];
  start: Date;
  end: Date;
  registry: Pick<DeviceRegistry, 'listAll'>;
  gridEvents: Pick<GridEventStore, 'listAll'>;
  programs: readonly DrProgram[];
}

/**
 * Splits a replan into event groups and devices planned alone. A device under several events answers the
 * most important one. An event's cap is on its whole group, so replanning any of its devices replans the
 * group; a trigger naming a grid event (new, changed or cancelled) replans every device it targets, so a
 * cancellation gives them their own plans back.
 */
export async function eventGroups(input: EventGroupsInput): Promise<{ groups: EventGroup[]; alone: DeviceRecord[]; unreadable: { gridEventId: string; reason: string }[] }> {
  const records = await input.gridEvents.listAll();
  const { active, unreadable } = activeDrEvents(records, input.start, input.end, input.programs);
  const changed = input.trigger.gridEventId ? records.find((r) => r.gridEventId === input.trigger.gridEventId) : undefined;
  if (!active.length && !changed) return { groups: [], alone: [...input.selected], unreadable };

  const fleet = await input.registry.listAll();
  const wanted = new Set(input.selected.map((d) => d.deviceId));
  if (changed) {
    const parsed = OpenAdrEvent.safeParse(changed.event);
    if (parsed.success) for (const d of devicesTargeted(parsed.data, fleet)) wanted.add(d.deviceId);
  }
  const claimed = new Set<string>();
  const groups: EventGroup[] = [];
  for (const event of active) {
    const members = devicesTargeted(event.address, fleet).filter((d) => !claimed.has(d.deviceId));
    members.forEach((d) => claimed.add(d.deviceId));
    if (members.some((d) => wanted.has(d.deviceId))) groups.push({ event, devices: members });
  }
  const grouped = new Set(groups.flatMap((g) => g.devices.map((d) => d.deviceId)));
  const byId = new Map([...fleet, ...input.selected].map((d) => [d.deviceId, d]));
  const alone = [...wanted].filter((id) => !grouped.has(id)).flatMap((id) => byId.get(id) ?? []);
  return { groups, alone, unreadable };
}

/**
 * A cohort was grouped when the replan was split: with a grid event it is that event's group, if the event
 * still asks something of the horizon; otherwise its devices plan alone.
 */
export async function cohortGroups(
  cohort: { gridEventId?: string | undefined; capShare?: number | undefined },
  selected: readonly DeviceRecord[],
  start: Date,
  end: Date,
  gridEvents: Pick<GridEventStore, 'get'>,
  programs: readonly DrProgram[],
): Promise<{ groups: EventGroup[]; alone: DeviceRecord[]; unreadable: { gridEventId: string; reason: string }[] }> {
  const record = cohort.gridEventId ? await gridEvents.get(cohort.gridEventId) : undefined;
  if (!record) return { groups: [], alone: [...selected], unreadable: [] };
  const { active, unreadable } = activeDrEvents([record], start, end, programs);
  const event = active[0];
  const group: EventGroup | undefined = event && { event, devices: [...selected], ...(cohort.capShare !== undefined ? { capShare: cohort.capShare } : {}) };
  return group ? { groups: [group], alone: [], unreadable } : { groups: [], alone: [...selected], unreadable };
}
