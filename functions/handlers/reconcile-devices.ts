import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { explainIssues } from '../../schemas/explain.ts';
import { EVENT_BUS_ENV } from '../../wiring/functions.ts';
import { DR_METRICS, RECONCILE_METRICS } from '../../wiring/metrics.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { getEventBridge } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/environment.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
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
      gridEvents: overrides.gridEvents ?? dynamoStores.gridEvents(),
    });

  return middy(async (input: unknown, _context: Context) => {
    const invocation = Invocation.safeParse(input);
    if (!invocation.success) throw new Error(`reconcile-devices input is invalid: ${explainIssues(invocation.error)}`);
    const result = await reconcileDevices(getPorts());
    const { fleet } = result;
    metrics.addMetric(RECONCILE_METRICS.registered, MetricUnit.Count, result.registered);
    for (const alignment of ['following', 'lagging', 'diverged', 'offline'] as const) {
      metrics.addMetric(RECONCILE_METRICS[alignment], MetricUnit.Count, result.counts[alignment]);
    }
    metrics.addMetric(RECONCILE_METRICS.silent, MetricUnit.Count, result.silent);
    metrics.addMetric(RECONCILE_METRICS.replanned, MetricUnit.Count, result.replanned.length);
    metrics.addMetric(RECONCILE_METRICS.online, MetricUnit.Count, fleet.online);
    metrics.addMetric(RECONCILE_METRICS.fleetMeasuredKW, MetricUnit.NoUnit, fleet.measuredKW);
    metrics.addMetric(RECONCILE_METRICS.fleetPlannedNowKW, MetricUnit.NoUnit, fleet.plannedNowKW);
    metrics.addMetric(RECONCILE_METRICS.plansExpiringSoon, MetricUnit.Count, fleet.plansExpiringSoon);
    for (const dr of result.dr) {
      logger.info('grid event delivery', { ...dr });
      metrics.addMetric(DR_METRICS.deliveredKW, MetricUnit.NoUnit, dr.deliveredKW);
      metrics.addMetric(DR_METRICS.shortfallPercent, MetricUnit.Percent, dr.shortfallPercent);
    }
    if (fleet.oldestPlanAgeHours !== undefined) metrics.addMetric(RECONCILE_METRICS.oldestPlanAgeHours, MetricUnit.NoUnit, fleet.oldestPlanAgeHours);
    // One line per example, so each carries the device (and plan version) it concerns.
    for (const { deviceId, planVersion, alignment, reason } of result.examples) {
      logger.info('device not following its plan', { deviceId, ...(planVersion !== undefined ? { planVersion } : {}), alignment, reason });
    }
    logger.info('fleet reconciled', { registered: result.registered, counts: result.counts, silent: result.silent, replanned: result.replanned.length, fleet });
    return { registered: result.registered, ...result.counts, silent: result.silent, replanned: result.replanned.length, fleet, dr: result.dr };
  })
    .use(injectLambdaContext(logger, LOG_CONTEXT.uncorrelated))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
