import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CachedKnownDevices } from '../adapters/cache/cached-known-devices.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { logger, metrics } from '../commons/observability.ts';
import { batchResponse } from '../commons/sqs-batch-response.ts';
import { recordPresenceBatch, type PresenceOutcome, type RecordPresencePorts } from '../domain/presence/record-presence.ts';
import { systemClock } from '../ports/clock.ts';

const OUTCOME_METRIC: Record<PresenceOutcome['outcome'], string> = {
  applied: 'PresenceApplied',
  stale: 'PresenceStale',
  'not-a-device': 'PresenceNotADevice',
  quarantined: 'PresenceQuarantined',
};

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
    return batchResponse('lifecycle event', results, { outcomes: OUTCOME_METRIC, failed: 'PresenceFailed' }, ['quarantined']);
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
