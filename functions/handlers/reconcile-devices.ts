import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { explainIssues } from '../../schemas/explain.ts';
import { EVENT_BUS_ENV } from '../../wiring/functions.ts';
import { RECONCILE_METRICS } from '../../wiring/metrics.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { getEventBridge } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/environment.ts';
import { logger, metrics } from '../commons/observability.ts';
import { reconcileDevices, type ReconcileDevicesPorts } from '../domain/reconciliation/reconcile-devices.ts';
import { systemClock } from '../ports/clock.ts';

/** The schedule's input. */
const Invocation = z.object({ reason: z.string().min(1) }).strict();

/** On its schedule: every device against its plan, counted in metrics; the diverged are replanned. */
export function makeHandler(overrides: Partial<ReconcileDevicesPorts> = {}) {
  let ports: ReconcileDevicesPorts | undefined;
  const getPorts = (): ReconcileDevicesPorts =>
    (ports ??= {
      devices: overrides.devices ?? dynamoStores.devices(),
      states: overrides.states ?? dynamoStores.deviceState(),
      status: overrides.status ?? dynamoStores.deviceStatus(),
      plans: overrides.plans ?? dynamoStores.plans(),
      events: overrides.events ?? new EventBridgePublisher(getEventBridge(), requireEnv(EVENT_BUS_ENV)),
      clock: overrides.clock ?? systemClock,
    });

  return middy(async (input: unknown, _context: Context) => {
    const invocation = Invocation.safeParse(input);
    if (!invocation.success) throw new Error(`reconcile-devices input is invalid: ${explainIssues(invocation.error)}`);
    const result = await reconcileDevices(getPorts());
    metrics.addMetric(RECONCILE_METRICS.registered, MetricUnit.Count, result.registered);
    for (const alignment of ['following', 'lagging', 'diverged', 'offline'] as const) {
      metrics.addMetric(RECONCILE_METRICS[alignment], MetricUnit.Count, result.counts[alignment]);
    }
    metrics.addMetric(RECONCILE_METRICS.silent, MetricUnit.Count, result.silent);
    metrics.addMetric(RECONCILE_METRICS.replanned, MetricUnit.Count, result.replanned.length);
    if (result.examples.length) logger.info('devices not following their plan', { counts: result.counts, silent: result.silent, examples: result.examples });
    return { registered: result.registered, ...result.counts, silent: result.silent, replanned: result.replanned.length };
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
