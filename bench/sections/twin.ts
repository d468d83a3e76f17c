import { runTwin } from '../../local/twin/run-twin.ts';
import type { BenchSection } from '../section.ts';

/** The default local twin run (5 heaters, a winter week), timed end to end. */
export const section: BenchSection = {
  name: 'twin',
  description: 'local fleet twin: 5 heaters, 7 days (2023-01-09 … 16, DK2), wall time',
  async run(log) {
    const started = performance.now();
    const result = await runTwin({ devices: 5, days: 7, seed: 1, from: new Date('2023-01-08T23:00:00Z') });
    const seconds = (performance.now() - started) / 1000;
    log(`${seconds.toFixed(1)} s`);
    return {
      devices: 5,
      days: 7,
      wallSeconds: Number(seconds.toFixed(2)),
      simulatedStepsPerSecond: Math.round((5 * 7 * 96) / seconds),
      telemetryIngested: result.counts.telemetryIngested,
      eventsDelivered: result.counts.eventsDelivered,
    };
  },
};
