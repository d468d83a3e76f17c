import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { tables } from '../../wiring/tables.ts';
import { logger } from './observability.ts';

/**
 * How long a handled event is remembered: EventBridge keeps retrying an event's delivery for up to 24 hours (a
 * rule target's default and longest maximum event age). This stack lets events age far less
 * (lib/delivery-policy.ts; test/infra/stack.test.ts holds the two together), but a record must outlive every
 * redelivery also if that policy is relaxed, and costs one small item per event; DynamoDB's TTL then deletes it.
 */
export const HANDLED_EVENT_RETENTION_S = 24 * 60 * 60;

/** Where handled events are remembered: the idempotency table the environment names, or none. */
export function handledEventsFromEnv(): BasePersistenceLayer | undefined {
  const tableName = process.env[tables.idempotency.envVar];
  return tableName ? new DynamoDBPersistenceLayer({ tableName }) : undefined;
}

type EventHandler<R> = (event: unknown, context: Context) => Promise<R>;

/**
 * `handler` run once per EventBridge event id, since EventBridge delivers at least once. A redelivery gets the
 * first run's result and runs nothing. An input without `id` (a schedule's) runs every time. A run that
 * throws is forgotten, so Lambda's retry of it runs again; a delivery arriving while the first still runs
 * throws IdempotencyAlreadyInProgressError, so Lambda retries it later and it finds the first run's result (or
 * runs, if that one failed). `keyPrefix` names the handler, so handlers can share the table.
 */
export function oncePerEvent<R>(handler: EventHandler<R>, options: { store: BasePersistenceLayer; keyPrefix: string; onRedelivery?: () => void }): EventHandler<R> {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'id',
    expiresAfterSeconds: HANDLED_EVENT_RETENTION_S,
    responseHook: (response) => {
      logger.info('event delivered again: answered with the result of its first delivery');
      options.onRedelivery?.();
      return response;
    },
  });
  // The function wrapper, not the Middy middleware: in this version the middleware's error hook also deletes the
  // record when its own check refused a delivery still in progress, letting the next retry run a second time.
  return makeIdempotent(handler, { persistenceStore: options.store, config, keyPrefix: options.keyPrefix });
}
