import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { DynamoDeviceRegistry } from '../../functions/adapters/dynamodb/device-registry.ts';
import { historySortKey } from '../../functions/adapters/dynamodb/telemetry-history.ts';
import { HISTORY_RETENTION_DAYS } from '../../functions/domain/telemetry/ingest-telemetry.ts';
import { localClient, startLocalDynamo } from '../../local/aws/dynamodb-local.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { seededRandom } from '../../local/fleet/seeded-random.ts';
import { lambdaContext } from '../../local/runtime/lambda-context.ts';
import { SimulatedRoom } from '../../local/simulator/simulated-room.ts';
import type { TelemetryMessage } from '../../schemas/telemetry.ts';
import type { BenchSection } from '../section.ts';

const DEVICES = 1000;
/** A quarter hour measured: one plan step change per heater and three state refreshes, in their real proportion. */
const MINUTES = 17;
const WARMUP_MINUTES = 2;
const BATCH = 100;
const DUPLICATE_SHARE = 0.01;
/** Batches of the handler in flight at once (Lambda invocations of one container's worth, in this process). */
const HANDLER_LANES = 4;
/** The floor is given its best of these. */
const FLOOR_LANES = [4, 8, 16];
const START = Date.parse('2023-01-10T06:00:00Z');

/**
 * A fleet's telemetry as the queue would hold it: every device reports once a minute; each heater's room (its
 * 1R1C model) moves with the power of a 15-minute plan step drawn at random from its levels, so temperatures
 * drift and power changes as real telemetry does. Minute by minute, devices in shuffled order, with 1 % of
 * messages delivered twice (SQS is at-least-once).
 */
function fleetTelemetry(): TelemetryMessage[][] {
  const random = seededRandom(11);
  const fleet = generateFleet(DEVICES, 1);
  const rooms = fleet.map((h) => new SimulatedRoom(h.record.room, h.initialRoomC));
  const minutes: TelemetryMessage[][] = [];
  let powers: number[] = [];
  for (let minute = 0; minute < MINUTES; minute++) {
    if (minute % 15 === 0) powers = fleet.map((h) => h.record.levels[Math.floor(random() * h.record.levels.length)]!.powerW);
    const batch = fleet.map((h, k): TelemetryMessage => {
      const room = rooms[k]!;
      const message: TelemetryMessage = {
        schema: 'hearth.telemetry/1',
        deviceId: h.record.deviceId,
        seq: minute,
        ts: new Date(START + minute * 60_000 + Math.floor(random() * 50_000)).toISOString(),
        roomC: Math.round(room.roomC * 1000) / 1000,
        powerW: powers[k]!,
        computeW: Math.min(powers[k]!, 1200),
        outdoorC: -2,
        chipC: Math.round(room.chipC * 100) / 100,
        planVersion: 1,
        mode: 'auto',
      };
      room.advance(powers[k]!, -2, 1 / 60);
      return message;
    });
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [batch[i], batch[j]] = [batch[j]!, batch[i]!];
    }
    const copies = batch.filter(() => random() < DUPLICATE_SHARE);
    minutes.push([...batch, ...copies]);
  }
  return minutes;
}

const sqsBatches = (messages: TelemetryMessage[]): SQSEvent[] => {
  const events: SQSEvent[] = [];
  for (let i = 0; i < messages.length; i += BATCH) {
    events.push({
      Records: messages.slice(i, i + BATCH).map((m, k) => ({
        messageId: `m-${i + k}`,
        receiptHandle: `r-${i + k}`,
        // As the IoT rule delivers it: the payload plus the device id read from the topic.
        body: JSON.stringify({ ...m, topicDeviceId: m.deviceId }),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'iot', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:telemetry',
        awsRegion: 'local',
      })),
    });
  }
  return events;
};

async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * The ingest handler's throughput against dynalite, beside the floor: raw BatchWriteItem of the items a message
 * yields when every message is stored blindly (its history item and its latest-state item), 25 per request.
 * Both run in this process against the same dynalite, each at the best of a few concurrencies, after a
 * warm-up; the floor writes the same messages again under fresh keys so it pays for inserts as ingest does.
 */
export const section: BenchSection = {
  name: 'ingest',
  description: `ingest-telemetry handler vs raw BatchWriteItem: ${DEVICES} devices × ${MINUTES - WARMUP_MINUTES} min at 1 msg/min, SQS batches of ${BATCH}`,
  async run(log) {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const dynamo = await startLocalDynamo();
    const doc = DynamoDBDocumentClient.from(localClient(dynamo.endpoint), { marshallOptions: { removeUndefinedValues: true } });
    try {
      const registry = new DynamoDeviceRegistry(doc, dynamo.tableNames.devices);
      for (const heater of generateFleet(DEVICES, 1)) await registry.put(heater.record);
      const minutes = fleetTelemetry();
      const warmup = minutes.slice(0, WARMUP_MINUTES).flat();
      const measured = minutes.slice(WARMUP_MINUTES);

      const { makeHandler } = await import('../../functions/handlers/ingest-telemetry.ts');
      const { DynamoKnownDevices } = await import('../../functions/adapters/dynamodb/known-devices.ts');
      const { CachedKnownDevices } = await import('../../functions/adapters/cache/cached-known-devices.ts');
      const { DynamoDeviceStateStore } = await import('../../functions/adapters/dynamodb/device-state-store.ts');
      const { DynamoTelemetryHistory } = await import('../../functions/adapters/dynamodb/telemetry-history.ts');
      const { DynamoQuarantineStore } = await import('../../functions/adapters/dynamodb/quarantine-store.ts');
      const clock = { now: () => new Date(START + MINUTES * 60_000) };
      const state = new DynamoDeviceStateStore(doc, dynamo.tableNames.deviceState);
      let stateWrites = 0;
      const countedState = Object.assign(Object.create(state) as typeof state, {
        advance: (...args: Parameters<typeof state.advance>) => (stateWrites++, state.advance(...args)),
      });
      const handler = makeHandler({
        devices: new CachedKnownDevices(new DynamoKnownDevices(doc, dynamo.tableNames.devices), clock),
        state: countedState,
        history: new DynamoTelemetryHistory(doc, dynamo.tableNames.telemetryHistory),
        quarantine: new DynamoQuarantineStore(doc, dynamo.tableNames.quarantine),
        clock,
      });
      const context = lambdaContext('IngestTelemetry');
      let failures = 0;
      const ingest = async (event: SQSEvent) => {
        failures += (await handler(event, context)).batchItemFailures.length;
      };
      await inLanes(sqsBatches(warmup), 4, ingest);

      // The whole quarter hour in arrival order, once: ingest is stateful, so every message is measured fresh.
      const all = measured.flat();
      stateWrites = 0;
      let started = performance.now();
      await inLanes(sqsBatches(all), HANDLER_LANES, ingest);
      const handlerRate = all.length / ((performance.now() - started) / 1000);
      log(`handler, ${HANDLER_LANES} concurrent batches: ${Math.round(handlerRate)} msg/s; ${stateWrites} conditional state writes for ${all.length} messages`);
      if (failures) throw new Error(`${failures} records failed during the benchmark`);

      const floorItems = (messages: TelemetryMessage[], tag: string) =>
        messages.flatMap((m) => [
          { table: dynamo.tableNames.telemetryHistory, item: { ...m, at: `${historySortKey(m)}#${tag}`, expiresAt: Math.floor(Date.parse(m.ts) / 1000) + HISTORY_RETENTION_DAYS * 86_400 } },
          { table: dynamo.tableNames.deviceState, item: { ...m, deviceId: `${m.deviceId}#${tag}`, tsMs: Date.parse(m.ts), receivedAt: clock.now().toISOString() } },
        ]);
      const floorRequests = (items: { table: string; item: Record<string, unknown> }[]) => {
        const requests: BatchWriteCommand[] = [];
        for (let i = 0; i < items.length; i += 25) {
          const RequestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
          for (const { table, item } of items.slice(i, i + 25)) (RequestItems[table] ??= []).push({ PutRequest: { Item: item } });
          requests.push(new BatchWriteCommand({ RequestItems }));
        }
        return requests;
      };
      await inLanes(floorRequests(floorItems(warmup, 'warmup')), 8, (r) => doc.send(r));
      let floor = 0;
      for (const lanes of FLOOR_LANES) {
        const requests = floorRequests(floorItems(all, `floor${lanes}`));
        started = performance.now();
        await inLanes(requests, lanes, async (r) => {
          const out = await doc.send(r);
          if (Object.keys(out.UnprocessedItems ?? {}).length) throw new Error('dynalite left items unprocessed');
        });
        const rate = all.length / ((performance.now() - started) / 1000);
        log(`floor, ${lanes} concurrent BatchWriteItem: ${Math.round(rate)} msg/s`);
        floor = Math.max(floor, rate);
      }
      const ratio = handlerRate / floor;
      log(`${all.length} messages measured; ratio ${ratio.toFixed(2)}`);
      return { messagesPerSec: Math.round(handlerRate), floorMessagesPerSec: Math.round(floor), ratio: Number(ratio.toFixed(2)) };
    } finally {
      doc.destroy();
      await dynamo.close();
    }
  },
};
