import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { EventDetails } from '../../schemas/events.ts';
import { explainIssues } from '../../schemas/explain.ts';
import { EVENT_BUS_ENV, PLANNER_POLICY_ENV } from '../../wiring/functions.ts';
import { DR_METRICS, PLAN_METRICS } from '../../wiring/metrics.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { StoredMarketInputs } from '../adapters/market/stored-market-inputs.ts';
import { getEventBridge } from '../commons/aws-clients.ts';
import { drProgramsFromEnv } from '../commons/dr-programs.ts';
import { requireEnv } from '../commons/environment.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
import { handledEventsFromEnv, oncePerEvent } from '../commons/once-per-event.ts';
import { PLANNING_POLICIES, planDevices, POLICY, type PlanDevicesPorts, type PlanningPolicy, type PlanTrigger } from '../domain/planning/plan-devices.ts';
import { systemClock } from '../ports/clock.ts';

const PlannerPolicy = z.enum(PLANNING_POLICIES);

function plannerPolicy(): PlanningPolicy {
  const value = process.env[PLANNER_POLICY_ENV];
  if (value === undefined || value === '') return POLICY;
  const parsed = PlannerPolicy.safeParse(value);
  if (!parsed.success) throw new Error(`${PLANNER_POLICY_ENV} must be one of ${PlannerPolicy.options.join(', ')}; got "${value}"`);
  return parsed.data;
}

/** What can invoke the planner: an event from the bus, or the hourly schedule's input. */
const Invocation = z.union([
  z.looseObject({ 'detail-type': z.string(), detail: z.unknown() }),
  z.object({ reason: z.string().min(1) }).strict(),
]);

function toTrigger(input: unknown): PlanTrigger {
  const parsed = Invocation.safeParse(input);
  if (!parsed.success) throw new Error(`plan-devices input is invalid: ${explainIssues(parsed.error)}`);
  const invocation = parsed.data;
  if (!('detail-type' in invocation)) return { reason: invocation.reason };
  const type = invocation['detail-type'];
  const parse = <S extends z.ZodType>(schema: S): z.output<S> => {
    const d = schema.safeParse(invocation.detail);
    if (!d.success) throw new Error(`${type} detail is invalid: ${explainIssues(d.error)}`);
    return d.data;
  };
  switch (type) {
    case 'PricesPublished':
      return { reason: 'prices', zone: parse(EventDetails.PricesPublished).zone };
    case 'ForecastUpdated':
      return { reason: 'forecast', cellId: parse(EventDetails.ForecastUpdated).cellId };
    case 'GridEventReceived':
      return { reason: 'grid-event', gridEventId: parse(EventDetails.GridEventReceived).gridEventId };
    case 'ReplanRequested':
      return parse(EventDetails.ReplanRequested);
    case 'PlanCohortRequested':
      return { ...parse(EventDetails.PlanCohortRequested), cohort: true };
    default:
      throw new Error(`plan-devices does not handle ${type} events`);
  }
}

export interface PlanDevicesOverrides extends Partial<PlanDevicesPorts> {
  /**
   * Where handled events are remembered, so a redelivered event does not plan again. By default the idempotency
   * table the environment names (the wiring grants it, so on AWS and in the local stack it always does); with
   * none, every delivery plans.
   */
  handledEvents?: BasePersistenceLayer;
}

/** Plans the devices an event or the schedule concerns, once per event. */
export function makeHandler(overrides: PlanDevicesOverrides = {}) {
  let ports: PlanDevicesPorts | undefined;
  const getPorts = (): PlanDevicesPorts =>
    (ports ??= {
      devices: overrides.devices ?? dynamoStores.devices(),
      states: overrides.states ?? dynamoStores.deviceState(),
      plans: overrides.plans ?? dynamoStores.plans(),
      market: overrides.market ?? new StoredMarketInputs(dynamoStores.marketData()),
      events: overrides.events ?? new EventBridgePublisher(getEventBridge(), requireEnv(EVENT_BUS_ENV)),
      clock: overrides.clock ?? systemClock,
      gridEvents: overrides.gridEvents ?? dynamoStores.gridEvents(),
    });

  const plan = async (input: unknown, _context: Context) => {
    const trigger = toTrigger(input);
    const started = performance.now();
    const result = await planDevices(trigger, getPorts(), { policy: plannerPolicy(), drPrograms: drProgramsFromEnv() });
    metrics.addMetric(PLAN_METRICS.planned, MetricUnit.Count, result.planned.length);
    metrics.addMetric(PLAN_METRICS.failed, MetricUnit.Count, result.failed.length);
    metrics.addMetric(PLAN_METRICS.durationMs, MetricUnit.Milliseconds, performance.now() - started);
    metrics.addMetric(DR_METRICS.eventsActive, MetricUnit.Count, result.dr.length);
    // The hourly replan plans every device once (in cohorts), so its sums over the hour are the fleet's; other
    // replans would count their devices twice.
    if (trigger.reason === 'hourly' && result.planned.length) {
      const t = result.totals;
      metrics.addMetric(PLAN_METRICS.fleetPlannedKW, MetricUnit.NoUnit, t.plannedKW);
      metrics.addMetric(PLAN_METRICS.energyCostEur, MetricUnit.NoUnit, t.energyCostEur);
      metrics.addMetric(PLAN_METRICS.computeRevenueEur, MetricUnit.NoUnit, t.computeRevenueEur);
      metrics.addMetric(PLAN_METRICS.netCostEur, MetricUnit.NoUnit, t.netCostEur);
      metrics.addMetric(PLAN_METRICS.discomfortKh, MetricUnit.NoUnit, t.discomfortKh);
    }
    for (const dr of result.dr) {
      logger.info('grid event dispatched', { gridEventId: dr.gridEventId, dispatch: dr });
      if (dr.targetKW === undefined || dr.plannedKW === undefined) continue;
      metrics.addMetric(DR_METRICS.targetKW, MetricUnit.NoUnit, dr.targetKW);
      metrics.addMetric(DR_METRICS.plannedKW, MetricUnit.NoUnit, dr.plannedKW);
    }
    for (const unanswered of result.unansweredEvents) logger.error('grid event not answered', unanswered);
    if (result.failed.length) logger.error('planning failed for devices', { reason: trigger.reason, failed: result.failed.slice(0, 20) });
    // A retry replans every device of the trigger, so only a systemic failure (no device planned) asks for
    // one; a device that failed alone keeps its current plan and is retried by the hourly replan.
    if (result.failed.length && !result.planned.length) {
      throw new Error(`planning failed for all ${result.failed.length} devices: ${result.failed[0]?.error}`);
    }
    if (result.fannedOut) {
      logger.info('replan fanned out in cohorts', { reason: trigger.reason, ...result.fannedOut });
      return result.fannedOut;
    }
    return { planned: result.planned.length };
  };
  // Built on first use, like the ports, once the environment is complete.
  let planOnce: typeof plan | undefined;
  const getPlanOnce = (): typeof plan => {
    if (planOnce) return planOnce;
    const store = overrides.handledEvents ?? handledEventsFromEnv();
    const onRedelivery = () => metrics.addMetric(PLAN_METRICS.redelivered, MetricUnit.Count, 1);
    return (planOnce = store ? oncePerEvent(plan, { store, keyPrefix: 'plan-devices', onRedelivery }) : plan);
  };

  return middy((input: unknown, context: Context) => getPlanOnce()(input, context))
    .use(injectLambdaContext(logger, LOG_CONTEXT.eventBridge))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
