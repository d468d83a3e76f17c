import { Duration } from 'aws-cdk-lib';

/**
 * How hard asynchronous paths try before an event goes to the dead-letter queue. Plans, prices and forecasts go
 * stale, and the hourly replan supersedes anything older than an hour, so events are not kept trying for the
 * services' default of 24 h.
 */
export const MAX_EVENT_AGE = Duration.hours(1);
/** EventBridge and the Scheduler retry delivery (throttling, a missing permission) with backoff within MAX_EVENT_AGE. */
export const DELIVERY_RETRY_ATTEMPTS = 10;
/** Lambda retries a handler that threw; handlers are idempotent, so a retry is safe. */
export const HANDLER_RETRY_ATTEMPTS = 2;
