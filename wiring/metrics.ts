/**
 * Custom metrics that alarms and the dashboard read, described once: the handler that emits them and the CDK
 * alarms use these names. Powertools publishes them in the POWERTOOLS_NAMESPACE with a `service` dimension,
 * the emitting function's id.
 */
export const RECONCILE_METRICS = {
  registered: 'DevicesRegistered',
  following: 'DevicesFollowing',
  lagging: 'DevicesLagging',
  diverged: 'DevicesDiverged',
  offline: 'DevicesOffline',
  silent: 'DevicesSilent',
  replanned: 'DevicesReplanRequested',
} as const;

/** Shadow push outcomes (push-shadow). */
export const SHADOW_PUSH_METRICS = {
  pushed: 'ShadowPushed',
  suppressed: 'ShadowPushSuppressed',
  conflictRetried: 'ShadowPushConflictRetried',
  failed: 'ShadowPushFailed',
} as const;

/** Share of registered devices silent past the threshold at which someone should look (a fleet-wide outage, a bad firmware). */
export const SILENT_DEVICES_ALARM_PERCENT = 5;

/** Data freshness (fetch-prices, fetch-weather): counts of zones and cells whose newest data are too old. */
export const DATA_FRESHNESS_METRICS = {
  priceZonesStale: 'PriceZonesStale',
  forecastCellsStale: 'ForecastCellsStale',
} as const;
