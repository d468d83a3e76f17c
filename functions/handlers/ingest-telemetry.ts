import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { TELEMETRY_METRICS } from '../../wiring/metrics.ts';
import { CachedKnownDevices } from '../adapters/cache/cached-known-devices.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
import { batchResponse } from '../commons/sqs-batch-response.ts';
import { ingestTelemetryBatch, type IngestOutcome, type IngestTelemetryPorts } from '../domain/telemetry/ingest-telemetry.ts';
import { systemClock } from '../ports/clock.ts';

/** The wiring names a metric for every outcome the domain has. */
const METRIC_NAMES = TELEMETRY_METRICS satisfies { outcomes: Record<IngestOutcome['outcome'], string>; failed: string };

/**
 * SQS batch from the telemetry IoT rule. A record fails (and SQS redelivers it, then dead-letters it) only on
 * an infrastructure error; invalid telemetry and telemetry of unregistered devices is quarantined with its
 * reason and counts as handled. Registry lookups are cached for the life of the container.
 */
export function makeHandler(overrides: Partial<IngestTelemetryPorts> = {}) {
  let ports: IngestTelemetryPorts | undefined;
  const getPorts = (): IngestTelemetryPorts => {
    if (ports) return ports;
    const clock = overrides.clock ?? systemClock;
    ports = {
      devices: overrides.devices ?? new CachedKnownDevices(dynamoStores.knownDevices(), clock),
      state: overrides.state ?? dynamoStores.deviceState(),
      history: overrides.history ?? dynamoStores.telemetryHistory(),
      quarantine: overrides.quarantine ?? dynamoStores.quarantine(),
      clock,
    };
    return ports;
  };

  return middy(async (event: SQSEvent, _context: Context): Promise<SQSBatchResponse> => {
    const results = await ingestTelemetryBatch(
      event.Records.map((r) => ({ id: r.messageId, body: r.body })),
      getPorts(),
    );
    return batchResponse('telemetry', results, METRIC_NAMES, ['quarantined', 'unknown-device']);
  })
    .use(injectLambdaContext(logger, LOG_CONTEXT.uncorrelated))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
