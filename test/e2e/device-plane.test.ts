import { GetThingShadowCommand, IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeviceStateStore } from '../../functions/adapters/dynamodb/device-state-store.ts';
import { DynamoDeviceStatusStore } from '../../functions/adapters/dynamodb/device-status-store.ts';
import { DynamoPlanStore } from '../../functions/adapters/dynamodb/plan-store.ts';
import { localClient } from '../../local/aws/dynamodb-local.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startLocalStack, type LocalStack } from '../../local/runtime/local-stack.ts';
import { SIMULATOR_FIRMWARE, type SimulatedDevice } from '../../local/simulator/simulated-device.ts';
import { simulatedDeviceFor } from '../../local/fleet/simulated-heater-device.ts';
import type { PlanDocument } from '../../schemas/shadow.ts';
import { functions } from '../../wiring/functions.ts';
import { httpEvent } from '../support/http-event.ts';

const START = new Date('2023-01-10T06:00:00Z');
const HOUR = 3_600_000;

/**
 * The device plane end to end on the local stack, through the same handlers as on Lambda: a heater registered
 * through the devices API, its presence from MQTT connects, plans pushed to its shadow, its telemetry ingested
 * and reconciled; then a day offline, and on reconnecting it holds the latest plan its shadow has.
 */
describe('device plane on the local stack', () => {
  let stack: LocalStack;
  let device: SimulatedDevice;
  let iot: IoTDataPlaneClient;
  let doc: DynamoDBDocumentClient;
  const heater = generateFleet(1, 9)[0]!;
  const id = heater.record.deviceId;
  const input = (fn: 'fetchPrices' | 'fetchWeather') => functions[fn].triggers[0].schedules[0].input;

  beforeAll(async () => {
    stack = await startLocalStack({ start: START });
    iot = new IoTDataPlaneClient({ endpoint: stack.shadowEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    doc = DynamoDBDocumentClient.from(localClient(stack.dynamo.endpoint));
    device = simulatedDeviceFor(heater, stack.brokerUrl);
  });
  afterAll(async () => {
    await device?.disconnect();
    iot?.destroy();
    doc?.destroy();
    await stack?.close();
  });

  const status = async () => (await new DynamoDeviceStatusStore(doc, stack.dynamo.tableNames.deviceStatus).getMany([id])).get(id);
  const desired = async (): Promise<PlanDocument> => {
    const out = await iot.send(new GetThingShadowCommand({ thingName: id, shadowName: 'plan' }));
    return (JSON.parse(new TextDecoder().decode(out.payload)) as { state: { desired: PlanDocument } }).state.desired;
  };
  const classic = async () => {
    const out = await iot.send(new GetThingShadowCommand({ thingName: id }));
    return (JSON.parse(new TextDecoder().decode(out.payload)) as { state: { reported: unknown } }).state.reported;
  };
  /** Moves the virtual clock hour by hour, firing every schedule due (replans, reconciliation, fetches) on the way. */
  const advance = async (hours: number) => {
    for (let h = 0; h < hours; h++) {
      const previous = stack.clock.now();
      const next = new Date(previous.getTime() + HOUR);
      stack.clock.set(next);
      await stack.runSchedules(previous, next);
      await stack.flushShadows();
    }
  };

  it('registers the heater through the devices API: its thing, groups, certificate and record', async () => {
    const out = (await stack.invoke('devicesApi', httpEvent('POST', '/devices', { body: JSON.stringify({ device: heater.record }) }))) as { statusCode: number; body: string };
    expect(out.statusCode).toBe(201);
    expect(stack.controlPlane.registry.thingsInGroup('zone-DK2')).toEqual([id]);
    expect(stack.controlPlane.registry.principalsOfThing(id)).toHaveLength(1);
  });

  it('connects: presence online; a plan is pushed, taken up, reported; telemetry ingested; reconciliation says following', async () => {
    await device.connect();
    await stack.flushPresence();
    expect(await status()).toMatchObject({ online: true });
    await device.settle();
    // The reference firmware reports what it can do in the classic shadow.
    expect(await classic()).toMatchObject({ levels: heater.record.levels, firmware: SIMULATOR_FIRMWARE });

    await stack.invoke('fetchPrices', input('fetchPrices'));
    await stack.invoke('fetchWeather', input('fetchWeather'));
    await stack.bus.drain();
    await stack.invoke('planDevices', { reason: 'startup' });
    await stack.bus.drain();
    await stack.flushShadows();
    await device.settle();
    const pushed = await desired();
    expect(device.plan).toEqual(pushed);
    expect((await status())?.desiredPlanV).toBe(pushed.v);

    await device.step(stack.clock.now(), -1, 0.25);
    await device.settle();
    await stack.flushTelemetry();
    const state = await new DynamoDeviceStateStore(doc, stack.dynamo.tableNames.deviceState).get(id);
    expect(state).toMatchObject({ planVersion: pushed.v, mode: 'auto' });
    expect(await stack.invoke('reconcileDevices', { reason: 'test' })).toMatchObject({ registered: 1, following: 1 });
  });

  it('offline for a day: presence offline, counted offline; on reconnecting it takes up the latest plan in its shadow', async () => {
    await device.disconnect();
    await stack.flushPresence();
    expect(await status()).toMatchObject({ online: false, disconnectReason: 'CLIENT_INITIATED_DISCONNECT' });

    const before = device.plan!;
    await advance(26);
    const plans = new DynamoPlanStore(doc, stack.dynamo.tableNames.plans);
    const latest = await plans.latest(id);
    expect(latest!.plan.v).toBeGreaterThan(20);
    // Hourly replans kept the shadow current while the device was away (whatever delta suppression let through).
    const inShadow = await desired();
    expect(inShadow.v).toBeGreaterThan(before.v);
    expect(Date.parse(inShadow.validUntil) - stack.clock.now().getTime()).toBeGreaterThan(24 * HOUR);
    expect(device.plan).toEqual(before);
    expect(await stack.invoke('reconcileDevices', { reason: 'test' })).toMatchObject({ offline: 1, silent: 1 });

    await device.connect();
    await stack.flushPresence();
    await device.settle();
    expect(device.plan).toEqual(inShadow);
    expect(await status()).toMatchObject({ online: true });

    await device.step(stack.clock.now(), -1, 0.25);
    await device.settle();
    await stack.flushTelemetry();
    expect(await stack.invoke('reconcileDevices', { reason: 'test' })).toMatchObject({ following: 1, offline: 0 });
    expect(stack.telemetryDeadLetters).toEqual([]);
    expect(stack.bus.deadLetters).toEqual([]);
  });
});
