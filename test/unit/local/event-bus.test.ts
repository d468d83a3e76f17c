import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../../local/aws/event-bus.ts';
import { DEFAULT_CONFIG } from '../../../lib/config.ts';
import { EVENT_SOURCE } from '../../../schemas/events.ts';
import { functions, type FunctionKey } from '../../../wiring/functions.ts';

const NOW = new Date('2026-01-10T12:00:00Z');
const entry = (detailType: string, detail: unknown) => ({ Source: EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Deliveries that take a few ticks, recording how many of each function ran at once. */
function recordingInvoke(onDelivery?: (fn: FunctionKey, event: EventBridgeEvent<string, unknown>) => void) {
  const active = new Map<FunctionKey, number>();
  const peak = new Map<FunctionKey, number>();
  const order: string[] = [];
  const invoke = async (fn: FunctionKey, event: EventBridgeEvent<string, unknown>) => {
    active.set(fn, (active.get(fn) ?? 0) + 1);
    peak.set(fn, Math.max(peak.get(fn) ?? 0, active.get(fn)!));
    await tick();
    await tick();
    order.push(`${fn}:${(event.detail as { n: number }).n}`);
    onDelivery?.(fn, event);
    active.set(fn, active.get(fn)! - 1);
  };
  return { invoke, peak, order };
}

describe('LocalEventBus', () => {
  it('one at a time, in the order put, unless asked to deliver concurrently', async () => {
    const { invoke, peak, order } = recordingInvoke();
    const bus = new LocalEventBus(invoke, () => NOW);
    bus.put(Array.from({ length: 6 }, (_, n) => entry('PlansStored', { n })));
    await bus.drain();
    expect(order).toEqual([0, 1, 2, 3, 4, 5].map((n) => `pushShadow:${n}`));
    expect(peak.get('pushShadow')).toBe(1);
  });

  it('concurrently, each function up to its reserved concurrency, events published meanwhile included', async () => {
    let bus: LocalEventBus | undefined = undefined;
    const { invoke, peak, order } = recordingInvoke((fn, event) => {
      // Each planned cohort announces its plans, as plan-devices does.
      if (fn === 'planDevices') bus!.put([entry('PlansStored', { n: (event.detail as { n: number }).n })]);
    });
    bus = new LocalEventBus(invoke, () => NOW, { concurrent: true });
    bus.put(Array.from({ length: 50 }, (_, n) => entry('PlanCohortRequested', { n })));
    await bus.drain();

    expect(order.filter((o) => o.startsWith('planDevices'))).toHaveLength(50);
    expect(order.filter((o) => o.startsWith('pushShadow'))).toHaveLength(50);
    expect(peak.get('planDevices')).toBe(functions.planDevices.reservedConcurrency);
    expect(peak.get('pushShadow')).toBe(DEFAULT_CONFIG.shadowPushConcurrency);
    expect(bus.delivered).toBe(100);
    expect(bus.deadLetters).toEqual([]);
  });

  it('concurrently, a delivery that keeps failing is retried and dead-lettered without holding up the others', async () => {
    let attempts = 0;
    const bus = new LocalEventBus(
      async (_fn, event) => {
        await tick();
        if ((event.detail as { n: number }).n === 3) {
          attempts++;
          throw new Error('cohort 3 cannot be planned');
        }
      },
      () => NOW,
      { concurrent: true, maxAttempts: 3 },
    );
    bus.put(Array.from({ length: 8 }, (_, n) => entry('PlanCohortRequested', { n })));
    await bus.drain();
    expect(attempts).toBe(3);
    expect(bus.delivered).toBe(7);
    expect(bus.deadLetters).toEqual([{ fn: 'planDevices', detailType: 'PlanCohortRequested', error: 'cohort 3 cannot be planned' }]);
  });
});
