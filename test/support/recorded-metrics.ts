import { vi } from 'vitest';
import { logger, metrics } from '../../functions/commons/observability.ts';

export interface RecordedMetric {
  name: string;
  value: number;
  dimensions?: Record<string, string>;
}

/**
 * What handlers emit as metrics from now on, plain and single metrics with their dimensions; their warnings
 * and errors are kept off the test output. Undo with `vi.restoreAllMocks()`.
 */
export function recordMetrics(): RecordedMetric[] {
  const emitted: RecordedMetric[] = [];
  vi.spyOn(metrics, 'addMetric').mockImplementation((name: string, _unit, value: number) => {
    emitted.push({ name, value });
    return metrics;
  });
  vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
    let dimensions: Record<string, string> = {};
    return {
      addDimensions: (d: Record<string, string>) => void (dimensions = { ...dimensions, ...d }),
      addMetric: (name: string, _unit: unknown, value: number) => void emitted.push({ name, value, dimensions }),
    } as unknown as ReturnType<typeof metrics.singleMetric>;
  });
  vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  return emitted;
}
