import type { FunctionKey } from './functions.ts';

/**
 * Every custom metric Hearth publishes, described once: the handlers emit these names and `lib/` builds the
 * dashboards and alarms from them. Powertools publishes each in the POWERTOOLS_NAMESPACE with a `service`
 * dimension, the emitting function's id (its `POWERTOOLS_SERVICE_NAME`); a group's comment names that function.
 * AWS's own metrics (queue depths, Lambda errors, API status codes) are read from the CDK constructs instead.
 */

/** IngestTelemetry: one count per outcome of a telemetry record, and records that failed (SQS delivers them again). */
export const TELEMETRY_METRICS = {
  outcomes: {
    applied: 'TelemetryApplied',
    coalesced: 'TelemetryCoalesced',
    stale: 'TelemetryStale',
    duplicate: 'TelemetryDuplicate',
    'unknown-device': 'TelemetryUnknownDevice',
    quarantined: 'TelemetryQuarantined',
  },
  failed: 'TelemetryFailed',
} as const;

/** RecordPresence: one count per outcome of a lifecycle event, and events that failed. */
export const PRESENCE_METRICS = {
  outcomes: {
    applied: 'PresenceApplied',
    stale: 'PresenceStale',
    'not-a-device': 'PresenceNotADevice',
    quarantined: 'PresenceQuarantined',
  },
  failed: 'PresenceFailed',
} as const;

/**
 * FetchPrices. `zonesStale` counts zones whose newest day-ahead prices are too old (or absent) on every run;
 * `dataAgeHours` and `horizonHours` carry two more dimensions, `source` and `zone`.
 */
export const PRICE_METRICS = {
  zonesStale: 'PriceZonesStale',
  zonesFailed: 'PriceZonesFailed',
  daysChanged: 'PriceDaysChanged',
  dataAgeHours: 'PriceDataAgeHours',
  horizonHours: 'PriceHorizonHours',
} as const;

/**
 * FetchWeather. `cellsStale` counts weather cells whose newest forecast is too old (or absent) on every run;
 * `dataAgeHours` (the oldest cell's) carries one more dimension, `source`.
 */
export const FORECAST_METRICS = {
  cellsStale: 'ForecastCellsStale',
  cellsFailed: 'ForecastCellsFailed',
  cellsChanged: 'ForecastCellsChanged',
  dataAgeHours: 'ForecastDataAgeHours',
} as const;

/**
 * PlanDevices, per invocation: devices planned and failed, how long planning took, and over the devices it
 * planned, their power at the current step (kW) and their plans' energy cost, compute revenue, net cost (EUR)
 * and discomfort (K·h).
 */
export const PLAN_METRICS = {
  planned: 'DevicesPlanned',
  failed: 'DevicePlanFailed',
  durationMs: 'PlanDevicesDuration',
  fleetPlannedKW: 'FleetPlannedKW',
  energyCostEur: 'PlannedEnergyCostEur',
  computeRevenueEur: 'PlannedComputeRevenueEur',
  netCostEur: 'PlannedNetCostEur',
  discomfortKh: 'PlannedDiscomfortKh',
  /** Deliveries of an event already planned, answered without planning again (EventBridge delivers at least once). */
  redelivered: 'PlanEventsRedelivered',
} as const;

/** Demand response: what the grid asked for, what Hearth planned and what the fleet delivered. Emitters: DR_METRIC_EMITTERS. */
export const DR_METRICS = {
  targetKW: 'DrTargetKW',
  plannedKW: 'DrPlannedKW',
  deliveredKW: 'DrDeliveredKW',
  shortfallPercent: 'DrShortfallPercent',
  eventsActive: 'DrEventsActive',
  webhookForbidden: 'DrWebhookForbidden',
  notificationInvalid: 'DrNotificationInvalid',
  eventStored: 'GridEventStored',
} as const;

/**
 * The function whose id is the `service` dimension of each DR metric: the planner knows targets and plans,
 * reconciliation measures delivery, the webhook counts what utilities send.
 */
export const DR_METRIC_EMITTERS: Record<keyof typeof DR_METRICS, FunctionKey> = {
  targetKW: 'planDevices',
  plannedKW: 'planDevices',
  eventsActive: 'planDevices',
  deliveredKW: 'reconcileDevices',
  shortfallPercent: 'reconcileDevices',
  webhookForbidden: 'drWebhook',
  notificationInvalid: 'drWebhook',
  eventStored: 'drWebhook',
};

/**
 * PushShadow, per invocation: shadow pushes by outcome, shadow requests answered 429 (each retried with
 * backoff), and the latency of each shadow update in ms (one value per update, so CloudWatch has percentiles).
 */
export const SHADOW_PUSH_METRICS = {
  pushed: 'ShadowPushed',
  suppressed: 'ShadowPushSuppressed',
  conflictRetried: 'ShadowPushConflictRetried',
  failed: 'ShadowPushFailed',
  throttled: 'ShadowPushThrottled',
  latencyMs: 'ShadowPushLatency',
} as const;

/**
 * ReconcileDevices, every 15 minutes over the whole fleet: devices by alignment with their plan, devices online
 * (not offline), fleet power measured (latest telemetry of online devices) and planned now (the current step of
 * each device's plan), and plan freshness: devices without a plan or with one that runs out within 6 h
 * (functions/domain/reconciliation/fleet-snapshot.ts), and the age of the oldest plan.
 */
export const RECONCILE_METRICS = {
  registered: 'DevicesRegistered',
  online: 'DevicesOnline',
  following: 'DevicesFollowing',
  lagging: 'DevicesLagging',
  diverged: 'DevicesDiverged',
  offline: 'DevicesOffline',
  silent: 'DevicesSilent',
  replanned: 'DevicesReplanRequested',
  fleetMeasuredKW: 'FleetMeasuredKW',
  fleetPlannedNowKW: 'FleetPlannedNowKW',
  plansExpiringSoon: 'PlansExpiringSoon',
  oldestPlanAgeHours: 'OldestPlanAgeHours',
} as const;

/** DevicesApi: registrations and decommissions through the operator API. */
export const DEVICES_API_METRICS = {
  registrations: 'DeviceRegistrations',
  decommissions: 'DeviceDecommissions',
} as const;
