import type { Aedes } from 'aedes';

export interface OutgoingMessage {
  topic: string;
  payload: unknown;
}

function safeEncode(payload: unknown): Buffer | undefined {
  try {
    return Buffer.from(JSON.stringify(payload));
  } catch {
    return undefined;
  }
}

/** How long one message may hold up the ones behind it, e.g. when a subscriber stopped reading its socket. */
const PUBLISH_TIMEOUT_MS = 5_000;

/**
 * Publishes the service's messages on the broker without making requests wait for delivery. Messages of one
 * key (a thing) go out one after another, in the order they were queued; different keys do not wait on each
 * other. A delivery that never completes is given up after a timeout, so a stuck subscriber delays, never blocks.
 */
export class OrderedPublisher {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly broker: Aedes,
    private readonly timeoutMs = PUBLISH_TIMEOUT_MS,
  ) {}

  enqueue(key: string, messages: readonly OutgoingMessage[]): void {
    if (messages.length === 0) return;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous.then(async () => {
      for (const message of messages) {
        // A message that cannot be encoded is dropped rather than stalling the ones queued behind it.
        const payload = safeEncode(message.payload);
        if (payload) await this.publishNow(message.topic, payload);
      }
    });
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }

  /**
   * Publishes raw bytes now, bypassing the queues; resolves once the broker has handed them to subscribers, or
   * gave up, with the broker's error when it refused the message.
   */
  publishNow(topic: string, payload: Buffer, options: { qos?: 0 | 1; retain?: boolean } = {}): Promise<Error | undefined> {
    if (this.broker.closed) return Promise.resolve(new Error('the MQTT broker is closed'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), this.timeoutMs);
      timer.unref();
      const done = (error?: Error | null): void => {
        clearTimeout(timer);
        resolve(error ?? undefined);
      };
      try {
        this.broker.publish({ cmd: 'publish', topic, payload, qos: options.qos ?? 1, retain: options.retain ?? false, dup: false }, done);
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Resolves when everything queued so far has been published. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
