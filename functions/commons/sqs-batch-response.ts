import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse } from 'aws-lambda';
import { logger, metrics } from './observability.ts';

/** A record's result from a batch use case: an outcome, or the infrastructure error that failed it. */
export type RecordResult<O extends { outcome: string; reason?: string }> = { id: string; result: O } | { id: string; error: string };

/**
 * The partial batch response of an SQS-triggered handler: failed records go back to SQS (and, after the
 * queue's receive limit, to its DLQ); every outcome is counted under its metric name, and refused records are
 * logged with their reason. `refused` names the outcomes that quarantined a record.
 */
export function batchResponse<O extends { outcome: string; reason?: string }>(
  what: string,
  results: readonly RecordResult<O>[],
  metricNames: { outcomes: Record<O['outcome'], string>; failed: string },
  refused: readonly O['outcome'][],
): SQSBatchResponse {
  const counts = new Map<string, number>();
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  let firstError: string | undefined;
  for (const r of results) {
    if ('error' in r) {
      batchItemFailures.push({ itemIdentifier: r.id });
      firstError ??= r.error;
      continue;
    }
    const metric = metricNames.outcomes[r.result.outcome as O['outcome']];
    counts.set(metric, (counts.get(metric) ?? 0) + 1);
    if (refused.includes(r.result.outcome)) {
      // The device the record named, when it got that far (an unknown device did), so its lines are found by device id.
      const deviceId = 'deviceId' in r.result && typeof r.result.deviceId === 'string' ? r.result.deviceId : undefined;
      logger.warn(`${what} quarantined`, { messageId: r.id, ...(deviceId ? { deviceId } : {}), reason: r.result.reason });
    }
  }
  for (const [metric, count] of counts) metrics.addMetric(metric, MetricUnit.Count, count);
  if (batchItemFailures.length) {
    metrics.addMetric(metricNames.failed, MetricUnit.Count, batchItemFailures.length);
    logger.error(`${what} records failed; SQS will deliver them again`, { failed: batchItemFailures.length, error: firstError });
  }
  return { batchItemFailures };
}
