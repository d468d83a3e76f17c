import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPut, MAX_BATCH_WRITE } from '../../functions/adapters/dynamodb/batch-write.ts';
import { localClient } from '../../local/aws/dynamodb-local.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startLocalStack } from '../../local/runtime/local-stack.ts';
import { functions } from '../../wiring/functions.ts';
import type { BenchSection } from '../section.ts';

/** HEARTH_BENCH_FLEET_DEVICES runs a smaller fleet while looking for where time goes; the benchmark is 10,000. */
const DEVICES = Number(process.env.HEARTH_BENCH_FLEET_DEVICES ?? 10_000);
/** A Tuesday noon of the sample: tomorrow's prices are published, the fleet replans on them. */
const START = new Date('2023-01-10T12:00:00Z');

const scheduleInput = (fn: 'fetchPrices' | 'fetchWeather') => functions[fn].triggers[0].schedules[0].input;

/**
 * A replan of 10,000 devices through the local stack, as the hourly schedule starts it: plan-devices fans the
 * fleet out in cohorts over the bus, each cohort is planned (every device's 48 h problem), stored in DynamoDB
 * (dynalite) and announced, and push-shadow writes each changed plan to its device's `plan` shadow through
 * the real SDK. Registering the fleet and fetching the market data are set-up, not measured.
 */
export const section: BenchSection = {
  name: 'fleet',
  description: `plan, store and push ${DEVICES} devices through the local stack`,
  async run(log) {
    const stack = await startLocalStack({ start: START });
    try {
      const doc = DynamoDBDocumentClient.from(localClient(stack.dynamo.endpoint));
      const records = generateFleet(DEVICES, 3).map((h) => h.record as unknown as Record<string, unknown>);
      for (let i = 0; i < records.length; i += MAX_BATCH_WRITE) {
        const put = await batchPut(doc, stack.dynamo.tableNames.devices, records.slice(i, i + MAX_BATCH_WRITE));
        if (put.unwritten.length) throw new Error(`could not register ${put.unwritten.length} devices: ${put.error}`);
      }
      doc.destroy();
      await stack.invoke('fetchPrices', scheduleInput('fetchPrices'));
      await stack.invoke('fetchWeather', scheduleInput('fetchWeather'));
      await stack.bus.drain();
      log(`fleet: ${DEVICES} devices registered, market data stored; replanning`);

      const deliveredBefore = stack.bus.delivered;
      const started = performance.now();
      const fanOut = (await stack.invoke('planDevices', { reason: 'hourly' })) as { cohorts?: number; devices?: number };
      await stack.bus.drain();
      await stack.flushShadows();
      const seconds = (performance.now() - started) / 1000;
      if (stack.bus.deadLetters.length) throw new Error(`replan dead-lettered: ${stack.bus.deadLetters[0]!.error}`);
      log(`fleet: ${fanOut.cohorts} cohorts, ${stack.bus.delivered - deliveredBefore} deliveries, ${seconds.toFixed(1)} s`);
      return {
        devices: DEVICES,
        replanSeconds: Number(seconds.toFixed(2)),
        devicesPerSecond: Math.round(DEVICES / seconds),
        cohorts: fanOut.cohorts ?? 1,
        eventsDelivered: stack.bus.delivered - deliveredBefore,
      };
    } finally {
      await stack.close();
    }
  },
};
