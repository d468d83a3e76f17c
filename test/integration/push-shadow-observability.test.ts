import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ShadowRequestStats } from '../../functions/adapters/iot/shadow-request-stats.ts';
import { IotShadowWriter } from '../../functions/adapters/iot/shadow-writer.ts';
import { metrics } from '../../functions/commons/observability.ts';
import { makeHandler } from '../../functions/handlers/push-shadow.ts';
import type { DeviceStatusStore, PlanStore, StoredPlan } from '../../functions/ports/stores.ts';
import { startShadowService, type LocalShadowService } from '../../local/iot/shadow-service.ts';
import { MAX_PLAN_STEPS, type PlanDocument } from '../../schemas/shadow.ts';
import { SHADOW_PUSH_METRICS } from '../../wiring/metrics.ts';
import { captureLogs, type CapturedLogs } from '../support/captured-logs.ts';
import { lambdaContext } from '../support/sqs-event.ts';

// Before the handlers' logger is created: this file reads the INFO lines a deployed function prints.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

const NOW = new Date('2023-01-10T12:00:00Z');
const plan = (v: number): PlanDocument => ({
  v,
  start: NOW.toISOString(),
  stepS: 900,
  powerW: Array.from({ length: MAX_PLAN_STEPS }, (_, k) => (k % 8 < 4 ? 800 : 0)),
  validUntil: new Date(NOW.getTime() + MAX_PLAN_STEPS * 900_000).toISOString(),
  fallback: { minC: 18, maxC: 21 },
});
/** PlansStored as EventBridge delivers it; its `id` is the correlation id of the push. */
const plansStored = (id: string, reason: string, devices: { deviceId: string; v: number }[]) => ({
  version: '0',
  id,
  'detail-type': 'PlansStored' as const,
  source: 'hearth',
  account: '1',
  time: NOW.toISOString(),
  region: 'eu-west-1',
  resources: [],
  detail: { reason, devices },
});

/** Plans and statuses in memory: this test is about what the push reports, not about storage. */
class Plans implements PlanStore {
  readonly byDevice = new Map<string, StoredPlan>();
  async latest(deviceId: string) {
    return this.byDevice.get(deviceId);
  }
  async getMany(): Promise<Map<string, StoredPlan>> {
    return new Map();
  }
  async put(stored: StoredPlan) {
    this.byDevice.set(stored.deviceId, stored);
    return 'stored' as const;
  }
}
const status: DeviceStatusStore = {
  recordPresence: async () => 'applied',
  recordDesiredPlan: async () => 'applied',
  getMany: async () => new Map(),
  delete: async () => undefined,
};

describe('push-shadow: throttling, latency and correlated logs', () => {
  let service: LocalShadowService;
  let iot: IoTDataPlaneClient;
  let handler: ReturnType<typeof makeHandler>;
  const plans = new Plans();
  let logs: CapturedLogs;
  let addMetric: MockInstance<typeof metrics.addMetric>;
  const metricValues = (name: string) => addMetric.mock.calls.filter(([n]) => n === name).map(([, , value]) => value);

  beforeAll(async () => {
    service = await startShadowService({ maxRequestsPerThingPerSecond: 20 });
    iot = new IoTDataPlaneClient({ endpoint: service.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
    const shadowRequests = new ShadowRequestStats();
    const shadows = new IotShadowWriter(iot, { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, perThingPerSecond: 1000, stats: shadowRequests });
    handler = makeHandler({ plans, shadows, status, clock: { now: () => NOW }, shadowRequests });
    for (const deviceId of ['heater-a', 'heater-b', 'heater-down']) {
      await plans.put({ deviceId, plan: plan(1), createdAt: NOW.toISOString(), reason: 'prices', policy: 'test' });
    }
  });
  beforeEach(() => {
    service.faults.clear();
    addMetric = vi.spyOn(metrics, 'addMetric');
    logs = captureLogs();
  });
  afterEach(() => {
    logs.restore();
    addMetric.mockRestore();
  });
  afterAll(async () => {
    iot?.destroy();
    await service?.close();
  });

  it('counts 429 answers as throttled and records one latency per shadow update', async () => {
    service.faults.inject({ thingName: 'heater-a', status: 429, times: 2 });
    const out = await handler(plansStored('evt-push-1', 'prices', [{ deviceId: 'heater-a', v: 1 }, { deviceId: 'heater-b', v: 1 }]), lambdaContext);
    expect(out).toMatchObject({ pushed: 2, failed: [] });
    expect(metricValues(SHADOW_PUSH_METRICS.throttled)).toEqual([2]);
    expect(metricValues(SHADOW_PUSH_METRICS.pushed)).toEqual([2]);
    const latencies = metricValues(SHADOW_PUSH_METRICS.latencyMs);
    expect(latencies).toHaveLength(2);
    for (const ms of latencies) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('logs carry the event id as correlation id and the plan reason; a failed device is logged with its id and plan version', async () => {
    service.faults.inject({ thingName: 'heater-down', status: 503, times: 10 });
    await expect(handler(plansStored('evt-push-2', 'grid-event', [{ deviceId: 'heater-down', v: 1 }, { deviceId: 'heater-gone', v: 4 }]), lambdaContext)).rejects.toThrow(
      /shadow push failed for 1 device/,
    );
    const lines = logs.lines;
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ correlation_id: 'evt-push-2', planReason: 'grid-event', function_request_id: lambdaContext.awsRequestId });
    expect(lines).toContainEqual(expect.objectContaining({ message: 'shadow push failed', deviceId: 'heater-down', planVersion: 1 }));
    expect(lines).toContainEqual(expect.objectContaining({ message: 'no stored plan for device', deviceId: 'heater-gone', planVersion: 4 }));
    expect(metricValues(SHADOW_PUSH_METRICS.failed)).toEqual([1]);
  });

  it('keys of one invocation do not leak into the next', async () => {
    await handler(plansStored('evt-push-3', 'hourly', [{ deviceId: 'heater-b', v: 1 }]), lambdaContext);
    const lines = logs.lines;
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({ correlation_id: 'evt-push-3', planReason: 'hourly' });
      expect(line.deviceId).toBeUndefined();
    }
  });
});
