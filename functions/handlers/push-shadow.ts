import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { PlansStored } from '../../schemas/events.ts';
import { explainIssues } from '../../schemas/explain.ts';
import { SHADOW_UPDATE_QUOTA_ENV } from '../../wiring/functions.ts';
import { SHADOW_PUSH_METRICS } from '../../wiring/metrics.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { ShadowRequestStats } from '../adapters/iot/shadow-request-stats.ts';
import { IotShadowWriter } from '../adapters/iot/shadow-writer.ts';
import { getIotData } from '../commons/aws-clients.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
import { pushPlans, type PushPlansPorts } from '../domain/shadow/push-plans.ts';
import { systemClock } from '../ports/clock.ts';

/** The account's shadow-update budget for this deployment, when the stack set one. */
function updatesPerSecond(): number | undefined {
  const value = Number(process.env[SHADOW_UPDATE_QUOTA_ENV]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export interface PushShadowOverrides extends Partial<PushPlansPorts> {
  /** Where the shadow writer records throttling and update latency; give it to a `shadows` override too to see them as metrics. */
  shadowRequests?: ShadowRequestStats;
}

/** Devices without a plan, and devices that failed, get a line each up to this many: enough to see the pattern, bounded when a whole cohort fails. */
const DEVICE_LINES_PER_OUTCOME = 20;

/**
 * On PlansStored: each device's latest plan into its `plan` shadow, where it changes what the device does.
 * Devices that failed make the invocation fail so EventBridge retries it; a retry re-decides every device, and
 * what was written before is then suppressed or conditionally rewritten, never applied twice.
 */
export function makeHandler(overrides: PushShadowOverrides = {}) {
  const shadowRequests = overrides.shadowRequests ?? new ShadowRequestStats();
  let ports: PushPlansPorts | undefined;
  const getPorts = (): PushPlansPorts => {
    if (ports) return ports;
    const budget = updatesPerSecond();
    ports = {
      plans: overrides.plans ?? dynamoStores.plans(),
      shadows: overrides.shadows ?? new IotShadowWriter(getIotData(), { ...(budget !== undefined ? { updatesPerSecond: budget } : {}), stats: shadowRequests }),
      status: overrides.status ?? dynamoStores.deviceStatus(),
      clock: overrides.clock ?? systemClock,
    };
    return ports;
  };

  return middy(async (event: EventBridgeEvent<'PlansStored', unknown>, _context: Context) => {
    const detail = PlansStored.safeParse(event.detail);
    if (!detail.success) throw new Error(`PlansStored detail is invalid: ${explainIssues(detail.error)}`);
    logger.appendKeys({ planReason: detail.data.reason });
    // The version each device's plan had when PlansStored announced it; the push sends the latest stored, usually the same.
    const announced = new Map(detail.data.devices.map((d) => [d.deviceId, d.v]));
    shadowRequests.take(); // whatever an earlier invocation left is not this one's
    const result = await pushPlans(detail.data, getPorts());
    const requests = shadowRequests.take();
    metrics.addMetric(SHADOW_PUSH_METRICS.pushed, MetricUnit.Count, result.pushed);
    metrics.addMetric(SHADOW_PUSH_METRICS.suppressed, MetricUnit.Count, result.suppressed);
    metrics.addMetric(SHADOW_PUSH_METRICS.conflictRetried, MetricUnit.Count, result.conflictRetried);
    metrics.addMetric(SHADOW_PUSH_METRICS.failed, MetricUnit.Count, result.failed.length);
    metrics.addMetric(SHADOW_PUSH_METRICS.throttled, MetricUnit.Count, requests.throttled);
    // One value per update: CloudWatch computes percentiles over all of them (Powertools flushes every 100 values).
    for (const ms of requests.updateLatenciesMs) metrics.addMetric(SHADOW_PUSH_METRICS.latencyMs, MetricUnit.Milliseconds, Math.round(ms));
    for (const deviceId of result.missing.slice(0, DEVICE_LINES_PER_OUTCOME)) logger.warn('no stored plan for device', { deviceId, planVersion: announced.get(deviceId) });
    for (const { deviceId, error } of result.failed.slice(0, DEVICE_LINES_PER_OUTCOME)) {
      logger.error('shadow push failed', { deviceId, planVersion: announced.get(deviceId), error });
    }
    logger.info('plans pushed', {
      devices: detail.data.devices.length,
      pushed: result.pushed,
      suppressed: result.suppressed,
      conflictRetried: result.conflictRetried,
      missing: result.missing.length,
      failed: result.failed.length,
      throttled: requests.throttled,
    });
    if (result.failed.length) {
      throw new Error(`shadow push failed for ${result.failed.length} device(s): ${result.failed.slice(0, 5).map((f) => `${f.deviceId}: ${f.error}`).join('; ')}`);
    }
    return result;
  })
    .use(injectLambdaContext(logger, LOG_CONTEXT.eventBridge))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
