import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { logger, metrics } from '../commons/observability.ts';
import { ingestTelemetry, type IngestTelemetryPorts } from '../domain/telemetry/ingest-telemetry.ts';
import { systemClock } from '../ports/clock.ts';

const OUTCOME_METRIC = {
  applied: 'TelemetryApplied',
  stale: 'TelemetryStale',
  duplicate: 'TelemetryDuplicate',
  quarantined: 'TelemetryQuarantined',
} as const;

/**
 * SQS batch from the telemetry IoT rule. A record fails (and SQS redelivers it, then dead-letters it) only on
 * an infrastructure error; invalid telemetry is quarantined with its reason and counts as handled.
 */
export function makeHandler(overrides: Partial<IngestTelemetryPorts> = {}) {
  let ports: IngestTelemetryPorts | undefined;
  const getPorts = (): IngestTelemetryPorts =>
    (ports ??= {
      state: overrides.state ?? dynamoStores.deviceState(),
      history: overrides.history ?? dynamoStores.telemetryHistory(),
      quarantine: overrides.quarantine ?? dynamoStores.quarantine(),
      clock: overrides.clock ?? systemClock,
    });

  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const result = await ingestTelemetry(record.body, getPorts());
    metrics.addMetric(OUTCOME_METRIC[result.outcome], MetricUnit.Count, 1);
    if (result.outcome === 'quarantined') logger.warn('telemetry quarantined', { messageId: record.messageId, reason: result.reason });
  };

  return middy(async (event: SQSEvent, context: Context) => processPartialResponse(event, handleRecord, processor, { context }))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
