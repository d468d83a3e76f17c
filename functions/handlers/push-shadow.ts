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
import { IotShadowWriter } from '../adapters/iot/shadow-writer.ts';
import { getIotData } from '../commons/aws-clients.ts';
import { logger, metrics } from '../commons/observability.ts';
import { pushPlans, type PushPlansPorts } from '../domain/shadow/push-plans.ts';
import { systemClock } from '../ports/clock.ts';

/** The account's shadow-update budget for this deployment, when the stack set one. */
function updatesPerSecond(): number | undefined {
  const value = Number(process.env[SHADOW_UPDATE_QUOTA_ENV]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * On PlansStored: each device's latest plan into its `plan` shadow, where it changes what the device does.
 * Devices that failed make the invocation fail so EventBridge retries it; a retry re-decides every device, and
 * what was written before is then suppressed or conditionally rewritten, never applied twice.
 */
export function makeHandler(overrides: Partial<PushPlansPorts> = {}) {
  let ports: PushPlansPorts | undefined;
  const getPorts = (): PushPlansPorts => {
    if (ports) return ports;
    const budget = updatesPerSecond();
    ports = {
      plans: overrides.plans ?? dynamoStores.plans(),
      shadows: overrides.shadows ?? new IotShadowWriter(getIotData(), budget !== undefined ? { updatesPerSecond: budget } : {}),
      status: overrides.status ?? dynamoStores.deviceStatus(),
      clock: overrides.clock ?? systemClock,
    };
    return ports;
  };

  return middy(async (event: EventBridgeEvent<'PlansStored', unknown>, _context: Context) => {
    const detail = PlansStored.safeParse(event.detail);
    if (!detail.success) throw new Error(`PlansStored detail is invalid: ${explainIssues(detail.error)}`);
    const result = await pushPlans(detail.data, getPorts());
    metrics.addMetric(SHADOW_PUSH_METRICS.pushed, MetricUnit.Count, result.pushed);
    metrics.addMetric(SHADOW_PUSH_METRICS.suppressed, MetricUnit.Count, result.suppressed);
    metrics.addMetric(SHADOW_PUSH_METRICS.conflictRetried, MetricUnit.Count, result.conflictRetried);
    metrics.addMetric(SHADOW_PUSH_METRICS.failed, MetricUnit.Count, result.failed.length);
    if (result.missing.length) logger.warn('no stored plan for devices', { devices: result.missing });
    if (result.failed.length) {
      throw new Error(`shadow push failed for ${result.failed.length} device(s): ${result.failed.slice(0, 5).map((f) => `${f.deviceId}: ${f.error}`).join('; ')}`);
    }
    return result;
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
