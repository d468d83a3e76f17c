import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { PlansStored } from '../../schemas/events.ts';
import { explainIssues } from '../../schemas/explain.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { IotShadowWriter } from '../adapters/iot/shadow-writer.ts';
import { getIotData } from '../commons/aws-clients.ts';
import { logger, metrics } from '../commons/observability.ts';
import { pushPlans, type PushPlansPorts } from '../domain/shadow/push-plans.ts';

/**
 * On PlansStored: each device's latest plan into its `plan` shadow. Devices that failed make the invocation
 * fail so EventBridge retries it; pushing again what was already pushed is harmless.
 */
export function makeHandler(overrides: Partial<PushPlansPorts> = {}) {
  let ports: PushPlansPorts | undefined;
  const getPorts = (): PushPlansPorts =>
    (ports ??= {
      plans: overrides.plans ?? dynamoStores.plans(),
      shadows: overrides.shadows ?? new IotShadowWriter(getIotData()),
    });

  return middy(async (event: EventBridgeEvent<'PlansStored', unknown>, _context: Context) => {
    const detail = PlansStored.safeParse(event.detail);
    if (!detail.success) throw new Error(`PlansStored detail is invalid: ${explainIssues(detail.error)}`);
    const result = await pushPlans(detail.data, getPorts());
    metrics.addMetric('ShadowPushed', MetricUnit.Count, result.pushed);
    metrics.addMetric('ShadowPushUnchanged', MetricUnit.Count, result.unchanged);
    metrics.addMetric('ShadowPushFailed', MetricUnit.Count, result.failed.length);
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
