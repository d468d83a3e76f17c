import { GetThingShadowCommand, UpdateThingShadowCommand, type IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { PlanDocument } from '../../../schemas/shadow.ts';
import { PLAN_SHADOW } from '../../../wiring/topics.ts';
import type { HeldPlan, ShadowWriter } from '../../ports/shadow-writer.ts';
import { fullJitterDelayMs, Pacer, realTiming, WindowLimiter, type Timing } from './pacing.ts';
import type { ShadowRequestStats } from './shadow-request-stats.ts';

export interface ShadowWriterOptions {
  /**
   * Requests per second to one thing. AWS allows 20 shadow requests per second per thing, the device's own
   * included, so the cloud side keeps to half of that.
   */
  perThingPerSecond?: number;
  /** Shadow updates per second this writer may spend of the account's quota; unlimited when absent. */
  updatesPerSecond?: number;
  /** Attempts per request on throttling and server errors, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timing?: Timing;
  /** Where throttling answers and update latencies are recorded, for metrics. */
  stats?: ShadowRequestStats;
}

const RETRYABLE_NAMES = new Set(['ThrottlingException', 'InternalFailureException', 'ServiceUnavailableException', 'TimeoutError', 'RequestTimeout']);

/** Throttling (429) and server-side failures (5xx) are worth another attempt; a client error never is. */
function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return RETRYABLE_NAMES.has(e.name ?? '') || status === 429 || (status !== undefined && status >= 500);
}

const isNamed = (error: unknown, name: string, status: number): boolean =>
  (error as { name?: string }).name === name || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === status;

/** The per-thing or account rate said no (429): retried after a backoff while attempts remain. */
const isThrottling = (error: unknown): boolean => isNamed(error, 'ThrottlingException', 429);

/**
 * The `plan` named shadow through the IoT data plane. Give it a client with `maxAttempts: 1`: this adapter
 * retries throttling and 5xx itself, with full-jitter backoff and bounded attempts, so the SDK's own retries
 * would multiply the attempts and bypass the pacing. Requests to one thing stay within its per-second share;
 * updates are also spaced to the account budget.
 */
export class IotShadowWriter implements ShadowWriter {
  private readonly thingLimiter: WindowLimiter;
  private readonly accountPacer: Pacer | undefined;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timing: Timing;
  private readonly stats: ShadowRequestStats | undefined;

  constructor(
    private readonly client: IoTDataPlaneClient,
    options: ShadowWriterOptions = {},
  ) {
    this.timing = options.timing ?? realTiming;
    this.thingLimiter = new WindowLimiter(options.perThingPerSecond ?? 10, this.timing);
    this.accountPacer = options.updatesPerSecond !== undefined ? new Pacer(options.updatesPerSecond, this.timing) : undefined;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.maxDelayMs = options.maxDelayMs ?? 2000;
    this.stats = options.stats;
  }

  async readPlan(deviceId: string): Promise<HeldPlan> {
    let payload: Uint8Array | undefined;
    try {
      ({ payload } = await this.request(deviceId, () => this.client.send(new GetThingShadowCommand({ thingName: deviceId, shadowName: PLAN_SHADOW }))));
    } catch (e) {
      if (isNamed(e, 'ResourceNotFoundException', 404)) return {};
      throw e;
    }
    const document = JSON.parse(new TextDecoder().decode(payload)) as { version?: number; state?: { desired?: unknown } };
    // A desired state that breaks the contract (edited by hand, an older format) is treated as no plan: replaced.
    const plan = PlanDocument.safeParse(document.state?.desired);
    return { ...(typeof document.version === 'number' ? { version: document.version } : {}), ...(plan.success ? { plan: plan.data } : {}) };
  }

  async writePlan(deviceId: string, plan: PlanDocument, expectedVersion: number | undefined): Promise<'written' | 'conflict'> {
    const body = { state: { desired: plan }, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) };
    const payload = new TextEncoder().encode(JSON.stringify(body));
    try {
      await this.request(deviceId, () => this.client.send(new UpdateThingShadowCommand({ thingName: deviceId, shadowName: PLAN_SHADOW, payload })), {
        budget: this.accountPacer,
        answeredAfter: (ms) => this.stats?.recordUpdate(ms),
      });
      return 'written';
    } catch (e) {
      if (isNamed(e, 'ConflictException', 409)) return 'conflict';
      throw e;
    }
  }

  /**
   * Sends with retries. `budget` paces every attempt to the account's update budget; `answeredAfter` gets the
   * time from the first attempt to the final answer, whatever it was (the pacing before the first attempt is
   * our own queueing, not the service's latency).
   */
  private async request<T>(thingName: string, send: () => Promise<T>, options: { budget?: Pacer | undefined; answeredAfter?: (ms: number) => void } = {}): Promise<T> {
    let firstSentAt: number | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        await options.budget?.wait();
        await this.thingLimiter.wait(thingName);
        firstSentAt ??= this.timing.now();
        try {
          return await send();
        } catch (e) {
          if (isThrottling(e)) this.stats?.recordThrottled();
          if (!isRetryable(e) || attempt + 1 >= this.maxAttempts) throw e;
          await this.timing.sleep(fullJitterDelayMs(attempt, this.baseDelayMs, this.maxDelayMs, this.timing.random));
        }
      }
    } finally {
      if (firstSentAt !== undefined) options.answeredAfter?.(this.timing.now() - firstSentAt);
    }
  }
}
