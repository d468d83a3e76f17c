import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { EVENT_SOURCE } from '../../schemas/events.ts';
import { functionSpecs, type FunctionKey } from '../../wiring/functions.ts';

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

/**
 * An EventBridge bus on a virtual clock: entries queue up and `drain` delivers them to the functions the
 * wiring routes them to, retrying a failed delivery as the rule's retry policy would, then dead-lettering it.
 */
export class LocalEventBus {
  private readonly rules = rulesFromWiring();
  private readonly queue: EventBridgeEvent<string, unknown>[] = [];
  readonly deadLetters: DeadLetter[] = [];
  delivered = 0;

  constructor(
    private readonly invoke: InvokeFunction,
    private readonly now: () => Date,
    private readonly maxAttempts = 3,
  ) {}

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
    for (let event = this.queue.shift(); event; event = this.queue.shift()) {
      for (const fn of this.rules.get(event['detail-type']) ?? []) await this.deliver(fn, event);
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
