export type FaultStatus = 429 | 500 | 503;

export interface FaultInjection {
  /** Only requests for this thing; absent: requests for any thing. */
  thingName?: string;
  status: FaultStatus;
  /** How many requests answer with the fault; every request counts, the SDK's retries included. */
  times: number;
  message?: string;
}

export interface InjectedFault {
  status: FaultStatus;
  message: string;
}

const DEFAULT_MESSAGES: Record<FaultStatus, string> = {
  429: 'Rate exceeded (injected fault)',
  500: 'An unexpected error has occurred (injected fault)',
  503: 'The service is temporarily unavailable (injected fault)',
};

/**
 * A test hook: the next requests answer a chosen error, so a caller's retry logic runs against the real client
 * and the real wire format instead of a mock.
 */
export class FaultInjector {
  private readonly queue: { thingName?: string; status: FaultStatus; remaining: number; message: string }[] = [];

  inject(fault: FaultInjection): void {
    if (!Number.isInteger(fault.times) || fault.times < 1) throw new RangeError(`times must be a positive integer, got ${fault.times}`);
    this.queue.push({
      ...(fault.thingName !== undefined ? { thingName: fault.thingName } : {}),
      status: fault.status,
      remaining: fault.times,
      message: fault.message ?? DEFAULT_MESSAGES[fault.status],
    });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Requests still to be answered with a fault. */
  get pending(): number {
    return this.queue.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** Consumes one fault for a request: one aimed at this thing first, else one for any thing. */
  take(thingName: string | undefined): InjectedFault | undefined {
    const index = thingName !== undefined ? this.queue.findIndex((f) => f.thingName === thingName) : -1;
    const at = index >= 0 ? index : this.queue.findIndex((f) => f.thingName === undefined);
    const fault = this.queue[at];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.queue.splice(at, 1);
    return { status: fault.status, message: fault.message };
  }
}
