import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { EVENT_SOURCE } from '../../schemas/events.ts';
import { DEFAULT_CONFIG } from '../../lib/config.ts';
import { functionSpecs, reservedConcurrencyOf, type FunctionKey } from '../../wiring/functions.ts';

export interface BusEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
}

export type InvokeFunction = (fn: FunctionKey, event: EventBridgeEvent<string, unknown>) => Promise<unknown>;

export interface DeadLetter {
  fn: FunctionKey;
  detailType: string;
  error: string;
}

/** The rules of the wiring, as EventBridge would hold them: detail type → functions. */
function rulesFromWiring(): Map<string, FunctionKey[]> {
  const rules = new Map<string, FunctionKey[]>();
  for (const [key, spec] of functionSpecs()) {
    for (const trigger of spec.triggers) {
      if (trigger.kind !== 'events') continue;
      for (const detailType of trigger.detailTypes) rules.set(detailType, [...(rules.get(detailType) ?? []), key]);
    }
  }
  return rules;
}

/** Invocations of a function without reserved concurrency that the local bus runs at once. */
const UNRESERVED_CONCURRENCY = 8;

/** How many deliveries to each function may run at once: its reserved concurrency, as on AWS. */
function concurrencyFromWiring(): Map<FunctionKey, number> {
  const limits = new Map<FunctionKey, number>();
  for (const [key, spec] of functionSpecs()) {
    limits.set(key, reservedConcurrencyOf(spec, DEFAULT_CONFIG) ?? UNRESERVED_CONCURRENCY);
  }
  return limits;
}

export interface LocalEventBusOptions {
  /** Attempts per delivery before it is dead-lettered, as a rule's retry policy. */
  maxAttempts?: number;
  /**
   * Deliver events at once, as EventBridge does, each function up to its reserved concurrency. Off, events are
   * delivered one at a time in the order they were put: runs repeat exactly (the twin), at the cost of speed.
   */
  concurrent?: boolean;
}

interface Delivery {
  fn: FunctionKey;
  event: EventBridgeEvent<string, unknown>;
}

/**
 * An EventBridge bus on a virtual clock: entries queue up and `drain` delivers them to the functions the
 * wiring routes them to, retrying a failed delivery as the rule's retry policy would, then dead-lettering it.
 */
export class LocalEventBus {
  private readonly rules = rulesFromWiring();
  private readonly limits = concurrencyFromWiring();
  private readonly queue: EventBridgeEvent<string, unknown>[] = [];
  private readonly maxAttempts: number;
  private readonly concurrent: boolean;
  readonly deadLetters: DeadLetter[] = [];
  delivered = 0;

  constructor(
    private readonly invoke: InvokeFunction,
    private readonly now: () => Date,
    options: LocalEventBusOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.concurrent = options.concurrent ?? false;
  }

  put(entries: BusEntry[]): { EventId: string }[] {
    return entries.map((entry) => {
      if (entry.Source !== EVENT_SOURCE || !entry.DetailType || entry.Detail === undefined) {
        throw new Error(`event entry needs Source "${EVENT_SOURCE}", DetailType and Detail`);
      }
      const id = randomUUID();
      this.queue.push({
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: this.now().toISOString(),
        region: 'local',
        resources: [],
        detail: JSON.parse(entry.Detail) as unknown,
      });
      return { EventId: id };
    });
  }

  /** Delivers until no event is left, including the events that deliveries publish. */
  async drain(): Promise<void> {
    if (this.concurrent) return this.drainConcurrently();
    for (let event = this.queue.shift(); event; event = this.queue.shift()) {
      for (const fn of this.rules.get(event['detail-type']) ?? []) await this.deliver(fn, event);
    }
  }

  /** Starts every delivery a function has room for, and waits for one to end before looking again. */
  private async drainConcurrently(): Promise<void> {
    const waiting: Delivery[] = [];
    const running = new Set<Promise<void>>();
    const active = new Map<FunctionKey, number>();
    for (;;) {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        for (const fn of this.rules.get(event['detail-type']) ?? []) waiting.push({ fn, event });
      }
      for (let i = 0; i < waiting.length; ) {
        const { fn, event } = waiting[i]!;
        if ((active.get(fn) ?? 0) >= (this.limits.get(fn) ?? UNRESERVED_CONCURRENCY)) {
          i++;
          continue;
        }
        waiting.splice(i, 1);
        active.set(fn, (active.get(fn) ?? 0) + 1);
        const delivery: Promise<void> = this.deliver(fn, event).finally(() => {
          active.set(fn, active.get(fn)! - 1);
          running.delete(delivery);
        });
        running.add(delivery);
      }
      if (!running.size) return;
      await Promise.race(running);
    }
  }

  private async deliver(fn: FunctionKey, event: EventBridgeEvent<string, unknown>): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await this.invoke(fn, event);
        this.delivered++;
        return;
      } catch (e) {
        lastError = e;
      }
    }
    this.deadLetters.push({ fn, detailType: event['detail-type'], error: (lastError as Error)?.message ?? String(lastError) });
  }
}
