import type { FunctionSpec, Trigger } from '../wiring/functions.ts';

export type TriggerOf<K extends Trigger['kind']> = Extract<Trigger, { kind: K }>;

/** A function's triggers of one kind, typed by that kind. */
export function triggersOf<K extends Trigger['kind']>(spec: FunctionSpec, kind: K): TriggerOf<K>[] {
  return spec.triggers.filter((trigger): trigger is TriggerOf<K> => trigger.kind === kind);
}

/** Invoked asynchronously (by EventBridge or the Scheduler), so failures after retries need a destination. */
export const isInvokedAsynchronously = (spec: FunctionSpec): boolean =>
  spec.triggers.some((trigger) => trigger.kind === 'events' || trigger.kind === 'schedules');
