/** What the shadow requests of one invocation met: throttling answers, and how long each update took. */
export interface ShadowRequestTally {
  /** Requests answered 429 (each retried with backoff while attempts remain). */
  throttled: number;
  /** Per shadow update, from its first attempt to its final answer (backoff after throttling included), in ms. */
  updateLatenciesMs: number[];
}

/**
 * Transport facts the shadow writer records as it goes, for the handler to turn into metrics after each
 * invocation. They stay out of the push decision (the domain never sees transport), and the writer keeps
 * working when nobody reads them.
 */
export class ShadowRequestStats {
  private tally: ShadowRequestTally = { throttled: 0, updateLatenciesMs: [] };

  recordThrottled(): void {
    this.tally.throttled++;
  }

  recordUpdate(latencyMs: number): void {
    this.tally.updateLatenciesMs.push(latencyMs);
  }

  /** What was recorded since the last call; recording starts afresh. */
  take(): ShadowRequestTally {
    const taken = this.tally;
    this.tally = { throttled: 0, updateLatenciesMs: [] };
    return taken;
  }
}
