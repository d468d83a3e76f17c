import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedDevice } from '../../local/simulator/simulated-device.ts';
import type { ConfigDocument, PlanDocument } from '../../schemas/shadow.ts';
import { TelemetryMessage } from '../../schemas/telemetry.ts';
import { PLAN_SHADOW, shadowTopic, telemetryTopic } from '../../wiring/topics.ts';

const NOW = new Date('2023-01-10T12:00:00Z');
const config: ConfigDocument = {
  mode: 'auto',
  timezone: 'Europe/Copenhagen',
  comfort: [{ from: '06:00', minC: 20, maxC: 22 }],
  safety: { maxRoomC: 30, maxChipC: 90 },
};
const levels = [
  { powerW: 500, computeW: 450 },
  { powerW: 1000, computeW: 950 },
];
const planV = (v: number, powerW: number[] = [1000, 700, 0, 500]): PlanDocument => ({
  v,
  start: NOW.toISOString(),
  stepS: 900,
  powerW,
  validUntil: new Date(NOW.getTime() + powerW.length * 900_000).toISOString(),
  fallback: { minC: 18, maxC: 20 },
});

/** A second MQTT client standing in for the cloud: it publishes shadow responses and records what devices send. */
class Cloud {
  readonly received: { topic: string; body: unknown }[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      const text = payload.toString();
      this.received.push({ topic, body: text === '' ? undefined : JSON.parse(text) });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async watch(deviceId: string): Promise<void> {
    await this.client.subscribeAsync(
      [shadowTopic(deviceId, PLAN_SHADOW, 'update'), shadowTopic(deviceId, PLAN_SHADOW, 'get'), telemetryTopic(deviceId)],
      { qos: 1 },
    );
  }

  on(topic: string): unknown[] {
    return this.received.filter((m) => m.topic === topic).map((m) => m.body);
  }

  async waitFor(topic: string, count: number): Promise<unknown[]> {
    const deadline = Date.now() + 5000;
    while (this.on(topic).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} messages on ${topic}; got ${this.on(topic).length}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, 100);
        this.waiters.push(() => (clearTimeout(timer), wake()));
      });
    }
    return this.on(topic);
  }

  publish(topic: string, body: unknown): Promise<unknown> {
    return this.client.publishAsync(topic, JSON.stringify(body), { qos: 1 });
  }
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('simulated device on an aedes broker', () => {
  let broker: Aedes;
  let server: net.Server;
  let url: string;
  let cloud: Cloud;
  let device: SimulatedDevice | undefined;
  let deviceCount = 0;
  const sessions = new Map<string, Client>();

  beforeAll(async () => {
    broker = await Aedes.createBroker();
    broker.on('client', (client) => sessions.set(client.id, client));
    server = net.createServer({ noDelay: true }, broker.handle);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cloud = new Cloud(await connectAsync(url, { clientId: 'cloud', protocolVersion: 4, reconnectPeriod: 0 }));
  });

  afterEach(async () => {
    await device?.disconnect();
    device = undefined;
  });

  afterAll(async () => {
    await cloud.client.endAsync();
    await new Promise<void>((closed) => broker.close(closed));
    await new Promise<void>((closed) => server.close(() => closed()));
  });

  async function startDevice(): Promise<{ device: SimulatedDevice; topic: (op: 'update' | 'get', response?: 'delta' | 'documents' | 'accepted') => string }> {
    const deviceId = `heater-${++deviceCount}`;
    await cloud.watch(deviceId);
    device = new SimulatedDevice({
      deviceId,
      brokerUrl: url,
      levels,
      room: { uaWPerK: 50, capacityKWhPerK: 2, otherHeatW: 100 },
      initialRoomC: 19,
      config,
      fallback: { minC: 17, maxC: 19 },
    });
    await device.connect();
    return { device, topic: (op, response) => shadowTopic(deviceId, PLAN_SHADOW, op, response) };
  }

  it('follows a plan pushed as a delta, reports its version and publishes telemetry on the Basic Ingest topic', async () => {
    const { device, topic } = await startDevice();
    await cloud.waitFor(topic('get'), 1);

    await cloud.publish(topic('update', 'delta'), { version: 2, timestamp: 1673352000, state: planV(1) });
    await device.settle();
    expect(device.plan?.v).toBe(1);
    expect(await cloud.waitFor(topic('update'), 1)).toEqual([{ state: { reported: { v: 1 } } }]);

    const first = await device.step(NOW, -2, 0.25);
    const second = await device.step(new Date(NOW.getTime() + 900_000), -2, 0.25);
    const telemetry = await cloud.waitFor(telemetryTopic(device.deviceId), 2);
    expect(telemetry).toEqual([first, second]);
    expect(telemetry.map((m) => TelemetryMessage.parse(m))).toMatchObject([
      { schema: 'hearth.telemetry/1', deviceId: device.deviceId, seq: 0, ts: NOW.toISOString(), powerW: 1000, computeW: 950, planVersion: 1, mode: 'auto', roomC: 19 },
      // 700 W planned, 500 W is the level below
      { seq: 1, powerW: 500, computeW: 450, planVersion: 1, mode: 'auto' },
    ]);
    expect(device.totals.energyKWh).toBeCloseTo(0.375, 12);
    expect(device.totals.computeKWh).toBeCloseTo(0.35, 12);
    expect(device.roomC).not.toBe(19);
  });

  it('takes the desired plan from update/documents, ignores versions it already holds, and reports rejections', async () => {
    const { device, topic } = await startDevice();
    const documents = (plan: unknown) => ({ previous: null, current: { state: { desired: plan, reported: {} }, version: 1 }, timestamp: 1 });

    await cloud.publish(topic('update', 'documents'), documents(planV(2)));
    await cloud.publish(topic('update', 'delta'), { version: 3, state: planV(2) });
    await cloud.publish(topic('update', 'documents'), documents(planV(1)));
    await device.settle();
    expect(device.plan?.v).toBe(2);

    const invalid = { ...planV(3), powerW: [-5] };
    await cloud.publish(topic('update', 'delta'), { version: 4, state: invalid });
    // the same refusal arriving again (as the documents echo of the device's own report would) is not re-reported
    await cloud.publish(topic('update', 'documents'), documents(invalid));
    await device.settle();
    expect(device.plan?.v).toBe(2);
    await cloud.publish(topic('update', 'delta'), { version: 5, state: planV(4) });
    await device.settle();
    expect(device.plan?.v).toBe(4);

    // telemetry leaves after every report, on the same connection: once it is here, so are they
    await device.step(NOW, 0, 0.25);
    await cloud.waitFor(telemetryTopic(device.deviceId), 1);
    const reports = (await cloud.waitFor(topic('update'), 3)) as { state: { reported: { v: number; error?: string | null } } }[];
    expect(reports.map((r) => r.state.reported.v)).toEqual([2, 2, 4]);
    expect(reports[1]!.state.reported.error).toMatch(/^plan v3 rejected: powerW\.0: /);
    expect(reports[2]!.state.reported).toEqual({ v: 4, error: null });
    expect(reports).toHaveLength(3);
  });

  it('catches up on reconnect by asking for the shadow, and keeps heating while offline', async () => {
    const { device, topic } = await startDevice();
    await cloud.publish(topic('update', 'delta'), { version: 1, state: planV(1) });
    await device.settle();
    await device.disconnect();

    const offline = await device.step(NOW, -2, 0.25);
    expect(offline).toMatchObject({ seq: 0, powerW: 1000, planVersion: 1 });
    await expect(device.settle()).rejects.toThrow(/not connected/);

    await device.reconnect();
    await cloud.waitFor(topic('get'), 2);
    await cloud.publish(topic('get', 'accepted'), { state: { desired: planV(7), reported: { v: 1 }, delta: { v: 7 } }, version: 9 });
    await device.settle();
    expect(device.plan?.v).toBe(7);

    await device.step(new Date(NOW.getTime() + 900_000), -2, 0.25);
    const telemetry = await cloud.waitFor(telemetryTopic(device.deviceId), 1);
    expect(telemetry).toMatchObject([{ seq: 1, planVersion: 7 }]);
  });

  it('can reconnect after the broker dropped it', async () => {
    const { device } = await startDevice();
    await new Promise<void>((closed) => sessions.get(device.deviceId)!.close(closed));
    const deadline = Date.now() + 2000;
    while (device.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(device.connected).toBe(false);
    await device.reconnect();
    await device.settle();
    expect(device.connected).toBe(true);
  });

  it('runs the fallback thermostat without a plan', async () => {
    const { device } = await startDevice();
    await device.settle();
    expect(await device.step(NOW, -2, 0.25)).toMatchObject({ powerW: 0, mode: 'fallback' });
    expect(device.lastDecision?.appliedPlanVersion).toBeUndefined();
  });

  it('leaves no timers behind once disconnected', async () => {
    const before = timeouts();
    const { device } = await startDevice();
    await device.settle();
    expect(timeouts()).toBeGreaterThan(before);
    await device.disconnect();
    const deadline = Date.now() + 2000;
    while (timeouts() > before && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(timeouts()).toBeLessThanOrEqual(before);
  });
});
