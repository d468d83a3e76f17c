import { Duration } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { PRESENCE_METRICS, TELEMETRY_METRICS, type FunctionKey } from '../wiring/index.ts';
import { hearthMetric } from './hearth-metric.ts';

/** Throughput of the two device-to-cloud pipes, telemetry and presence, by what became of each record (wiring/metrics.ts). */
const PERIOD = Duration.minutes(5);

const counts = (emitter: FunctionKey, names: Record<string, string>): IMetric[] =>
  Object.entries(names).map(([label, name]) => hearthMetric(emitter, name, { label, statistic: 'Sum', period: PERIOD }));

/** Telemetry records per outcome: stored, coalesced, stale or duplicate, refused (quarantined or unknown device), failed. */
export const telemetryOutcomeMetrics = () => ({
  handled: counts('ingestTelemetry', {
    applied: TELEMETRY_METRICS.outcomes.applied,
    coalesced: TELEMETRY_METRICS.outcomes.coalesced,
    stale: TELEMETRY_METRICS.outcomes.stale,
    duplicate: TELEMETRY_METRICS.outcomes.duplicate,
  }),
  refused: counts('ingestTelemetry', {
    quarantined: TELEMETRY_METRICS.outcomes.quarantined,
    'unknown device': TELEMETRY_METRICS.outcomes['unknown-device'],
    failed: TELEMETRY_METRICS.failed,
  }),
});

/** Lifecycle events per outcome. */
export const presenceOutcomeMetrics = (): IMetric[] =>
  counts('recordPresence', {
    applied: PRESENCE_METRICS.outcomes.applied,
    stale: PRESENCE_METRICS.outcomes.stale,
    'not a device': PRESENCE_METRICS.outcomes['not-a-device'],
    quarantined: PRESENCE_METRICS.outcomes.quarantined,
    failed: PRESENCE_METRICS.failed,
  });
