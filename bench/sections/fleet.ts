import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { batchPut, MAX_BATCH_WRITE } from '../../functions/adapters/dynamodb/batch-write.ts';
import { localClient } from '../../local/aws/dynamodb-local.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startLocalStack } from '../../local/runtime/local-stack.ts';
import { functions } from '../../wiring/functions.ts';
import type { BenchSection } from '../section.ts';
import { dynamoItemBytes } from '../support/dynamodb-item-size.ts';

/** HEARTH_BENCH_FLEET_DEVICES runs a smaller fleet while looking for where time goes; the benchmark is 10,000. */
const DEVICES = (() => {
  const parsed = z.coerce.number().int().positive().max(1_000_000).safeParse(process.env.HEARTH_BENCH_FLEET_DEVICES ?? 10_000);
  if (!parsed.success) throw new Error(`HEARTH_BENCH_FLEET_DEVICES must be a whole number of devices from 1 to 1,000,000; got "${process.env.HEARTH_BENCH_FLEET_DEVICES}"`);
  return parsed.data;
})();
/** A Tuesday noon of the sample: tomorrow's prices are published, the fleet replans on them. */
const START = new Date('2023-01-10T12:00:00Z');

const round3 = (x: number) => Math.round(x * 1000) / 1000;
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
    const stack = await startLocalStack({ start: START, scale: true });
    try {
      // Market data first: the replans its arrival starts find no device yet, so the measured replan is the
      // fleet's first, and every device's plan is pushed.
      await stack.invoke('fetchPrices', scheduleInput('fetchPrices'));
      await stack.invoke('fetchWeather', scheduleInput('fetchWeather'));
      await stack.bus.drain();
      const doc = DynamoDBDocumentClient.from(localClient(stack.dynamo.endpoint));
      const records = generateFleet(DEVICES, 3).map((h) => h.record as unknown as Record<string, unknown>);
      for (let i = 0; i < records.length; i += MAX_BATCH_WRITE) {
        const put = await batchPut(doc, stack.dynamo.tableNames.devices, records.slice(i, i + MAX_BATCH_WRITE));
        if (put.unwritten.length) throw new Error(`could not register ${put.unwritten.length} devices: ${put.error}`);
      }
      log(`fleet: market data stored, ${DEVICES} devices registered; replanning`);

      const deliveredBefore = stack.bus.delivered;
      const dynamoBefore = await stack.dynamo.usage();
      const shadowBefore = stack.shadowRequests();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const fanOut = (await stack.invoke('planDevices', { reason: 'hourly' })) as { cohorts?: number; devices?: number };
      await stack.bus.drain();
      await stack.flushShadows();
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      if (stack.bus.deadLetters.length) throw new Error(`replan dead-lettered: ${stack.bus.deadLetters[0]!.error}`);
      log(`fleet: ${fanOut.cohorts} cohorts, ${stack.bus.delivered - deliveredBefore} deliveries, ${seconds.toFixed(1)} s`);
      const dynamoAfter = await stack.dynamo.usage();
      const shadowAfter = stack.shadowRequests();
      const perDevice = (after: Record<string, number>, before: Record<string, number>) =>
        Object.fromEntries(Object.entries(after).map(([op, n]) => [op, round3((n - (before[op] ?? 0)) / DEVICES)]).filter(([, n]) => n !== 0));
      const { Items } = await doc.send(new QueryCommand({ TableName: stack.dynamo.tableNames.plans, KeyConditionExpression: 'deviceId = :d', ExpressionAttributeValues: { ':d': records[0]!.deviceId }, Limit: 1 }));
      doc.destroy();
      const updates = (shadowAfter.byMethod.POST ?? 0) - (shadowBefore.byMethod.POST ?? 0);
      if (updates < DEVICES) throw new Error(`the replan wrote ${updates} plan shadows for ${DEVICES} devices`);
      return {
        devices: DEVICES,
        replanSeconds: Number(seconds.toFixed(2)),
        devicesPerSecond: Math.round(DEVICES / seconds),
        cohorts: fanOut.cohorts ?? 1,
        eventsDelivered: stack.bus.delivered - deliveredBefore,
        // What one device cost the replan: the arithmetic for a million devices in README starts here.
        perDevice: {
          // CPU time on the two cores: the handlers and the shadow service in this process, DynamoDB in its own.
          handlerCpuMs: round3((cpu.user + cpu.system) / 1000 / DEVICES),
          dynamodbCpuMs: round3(((dynamoAfter.cpuMs ?? 0) - (dynamoBefore.cpuMs ?? 0)) / DEVICES),
          dynamodbRequests: perDevice(dynamoAfter.requests, dynamoBefore.requests),
          shadowRequests: perDevice(shadowAfter.byMethod, shadowBefore.byMethod),
          shadowUpdateBytes: updates ? Math.round((shadowAfter.updateBytes - shadowBefore.updateBytes) / updates) : 0,
          planItemBytes: Items?.[0] ? dynamoItemBytes(Items[0]) : 0,
        },
      };
    } finally {
      await stack.close();
    }
  },
};
