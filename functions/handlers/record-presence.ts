import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { PRESENCE_METRICS } from '../../wiring/metrics.ts';
import { CachedKnownDevices } from '../adapters/cache/cached-known-devices.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
import { batchResponse } from '../commons/sqs-batch-response.ts';
import { recordPresenceBatch, type PresenceOutcome, type RecordPresencePorts } from '../domain/presence/record-presence.ts';
import { systemClock } from '../ports/clock.ts';

/** The wiring names a metric for every outcome the domain has. */
const METRIC_NAMES = PRESENCE_METRICS satisfies { outcomes: Record<PresenceOutcome['outcome'], string>; failed: string };

/** SQS batch from the lifecycle-event IoT rule: each device's online state and last connect/disconnect. */
export function makeHandler(overrides: Partial<RecordPresencePorts> = {}) {
  let ports: RecordPresencePorts | undefined;
  const getPorts = (): RecordPresencePorts => {
    if (ports) return ports;
    const clock = overrides.clock ?? systemClock;
    ports = {
      devices: overrides.devices ?? new CachedKnownDevices(dynamoStores.knownDevices(), clock),
      status: overrides.status ?? dynamoStores.deviceStatus(),
      quarantine: overrides.quarantine ?? dynamoStores.quarantine(),
      clock,
    };
    return ports;
  };

  return middy(async (event: SQSEvent, _context: Context): Promise<SQSBatchResponse> => {
    const results = await recordPresenceBatch(
      event.Records.map((r) => ({ id: r.messageId, body: r.body })),
      getPorts(),
    );
    return batchResponse('lifecycle event', results, METRIC_NAMES, ['quarantined']);
  })
    .use(injectLambdaContext(logger, LOG_CONTEXT.uncorrelated))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
