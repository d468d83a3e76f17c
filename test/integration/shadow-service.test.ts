import {
  ConflictException,
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  InternalFailureException,
  InvalidRequestException,
  IoTDataPlaneClient,
  ListNamedShadowsForThingCommand,
  PublishCommand,
  RequestEntityTooLargeException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMqttBroker, type LocalMqttBroker } from '../../local/iot/mqtt-broker.ts';
import { startShadowService, type LocalShadowService } from '../../local/iot/shadow-service.ts';
import { PLAN_SHADOW, CONFIG_SHADOW, shadowTopic } from '../../wiring/topics.ts';

const START = new Date('2026-01-10T00:00:00Z');
const START_S = START.getTime() / 1000;

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shadow bodies are free-form JSON; tests read into them
const decode = (payload: Uint8Array | undefined): any => JSON.parse(new TextDecoder().decode(payload));

function dataPlane(endpoint: string, maxAttempts?: number): IoTDataPlaneClient {
  return new IoTDataPlaneClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  });
}

interface Received {
  topic: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see decode
  body: any;
}

/** What an MQTT client received, in arrival order, with a way to wait for the next message on a topic. */
class Inbox {
  readonly all: Received[] = [];
  private unread: Received[] = [];
  private waiters: { topic: string; resolve: (message: Received) => void }[] = [];

  constructor(client: MqttClient) {
    client.on('message', (topic, payload) => {
      const message = { topic, body: payload.length > 0 ? JSON.parse(payload.toString('utf8')) : undefined };
      this.all.push(message);
      const waiter = this.waiters.find((w) => w.topic === topic);
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      } else {
        this.unread.push(message);
      }
    });
  }

  next(topic: string, timeoutMs = 5_000): Promise<Received> {
    const index = this.unread.findIndex((m) => m.topic === topic);
    if (index >= 0) return Promise.resolve(this.unread.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        topic,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }
}

describe('local shadow service through the real IoT data plane client and a real MQTT client', () => {
  let broker: LocalMqttBroker;
  let service: LocalShadowService;
  let client: IoTDataPlaneClient;
  let retryingClient: IoTDataPlaneClient;
  let device: MqttClient;
  let inbox: Inbox;
  let clock = START;

  beforeAll(async () => {
    broker = await startMqttBroker();
    service = await startShadowService({ broker: broker.aedes, now: () => clock });
    client = dataPlane(service.endpoint, 1);
    retryingClient = dataPlane(service.endpoint);
    device = await connectAsync(broker.url, { clientId: 'heater-7', clean: true, reconnectPeriod: 0 });
    inbox = new Inbox(device);
  });

  afterAll(async () => {
    client?.destroy();
    retryingClient?.destroy();
    await device?.endAsync();
    await service?.close();
    await broker?.close();
  });

  it('updates, gets and deletes the classic shadow; a deleted shadow is not found', async () => {
    const updated = await client.send(
      new UpdateThingShadowCommand({ thingName: 'heater-1', payload: encode({ state: { reported: { firmware: '1.2.0' } } }) }),
    );
    expect(decode(updated.payload)).toEqual({
      state: { reported: { firmware: '1.2.0' } },
      metadata: { reported: { firmware: { timestamp: START_S } } },
      version: 1,
      timestamp: START_S,
    });

    const got = await client.send(new GetThingShadowCommand({ thingName: 'heater-1' }));
    expect(decode(got.payload)).toMatchObject({ state: { reported: { firmware: '1.2.0' } }, version: 1 });

    const deleted = await client.send(new DeleteThingShadowCommand({ thingName: 'heater-1' }));
    expect(decode(deleted.payload)).toEqual({ version: 1, timestamp: START_S });

    const missing = client.send(new GetThingShadowCommand({ thingName: 'heater-1' }));
    await expect(missing).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(missing).rejects.toThrow("No shadow exists with name: 'heater-1'");
    await expect(client.send(new DeleteThingShadowCommand({ thingName: 'heater-1' }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    // Recreated soon after, the shadow continues the deleted one's version, as on AWS.
    const recreated = await client.send(new UpdateThingShadowCommand({ thingName: 'heater-1', payload: encode({ state: { reported: { a: 1 } } }) }));
    expect(decode(recreated.payload).version).toBe(2);
  });

  it('keeps named shadows apart from each other and from the classic shadow, and lists them page by page', async () => {
    await client.send(new UpdateThingShadowCommand({ thingName: 'heater-2', shadowName: PLAN_SHADOW, payload: encode({ state: { desired: { v: 1 } } }) }));
    await client.send(new UpdateThingShadowCommand({ thingName: 'heater-2', shadowName: CONFIG_SHADOW, payload: encode({ state: { desired: { mode: 'auto' } } }) }));
    await client.send(new UpdateThingShadowCommand({ thingName: 'heater-2', shadowName: 'extra', payload: encode({ state: { reported: { x: 1 } } }) }));

    const plan = decode((await client.send(new GetThingShadowCommand({ thingName: 'heater-2', shadowName: PLAN_SHADOW }))).payload);
    expect(plan.state).toEqual({ desired: { v: 1 }, delta: { v: 1 } });
    expect(service.store.get('heater-2', CONFIG_SHADOW)?.state).toEqual({ desired: { mode: 'auto' } });
    await expect(client.send(new GetThingShadowCommand({ thingName: 'heater-2' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new GetThingShadowCommand({ thingName: 'heater-2', shadowName: 'nope' }))).rejects.toThrow(
      "No shadow exists with name: 'nope'",
    );

    const all = await client.send(new ListNamedShadowsForThingCommand({ thingName: 'heater-2' }));
    expect(all.results).toEqual(['config', 'extra', 'plan']);
    expect(all.nextToken).toBeUndefined();
    expect(all.timestamp).toBe(START_S);

    const first = await client.send(new ListNamedShadowsForThingCommand({ thingName: 'heater-2', pageSize: 2 }));
    expect(first.results).toEqual(['config', 'extra']);
    const second = await client.send(new ListNamedShadowsForThingCommand({ thingName: 'heater-2', pageSize: 2, nextToken: first.nextToken }));
    expect(second).toMatchObject({ results: ['plan'] });
    expect(second.nextToken).toBeUndefined();

    const none = await client.send(new ListNamedShadowsForThingCommand({ thingName: 'heater-without-shadows' }));
    expect(none.results).toEqual([]);
  });

  it('answers a stale version with ConflictException', async () => {
    const put = (version?: number) =>
      client.send(
        new UpdateThingShadowCommand({ thingName: 'heater-3', payload: encode({ state: { desired: { t: version ?? 0 } }, ...(version !== undefined ? { version } : {}) }) }),
      );
    await put();
    await put(1);
    const stale = put(1);
    await expect(stale).rejects.toBeInstanceOf(ConflictException);
    await expect(stale).rejects.toThrow(/^Version conflict/);
  });

  it('answers an oversized update with RequestEntityTooLargeException', async () => {
    const huge = encode({ state: { desired: { blob: 'x'.repeat(9000) } } });
    const call = client.send(new UpdateThingShadowCommand({ thingName: 'heater-4', payload: huge }));
    await expect(call).rejects.toBeInstanceOf(RequestEntityTooLargeException);
    await expect(call).rejects.toThrow(/exceeds the maximum size allowed/);
  });

  it('answers a body that is not JSON, or JSON of the wrong shape, with InvalidRequestException, and keeps serving', async () => {
    const notJson = client.send(new UpdateThingShadowCommand({ thingName: 'heater-5', payload: encode('power=on') }));
    await expect(notJson).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(notJson).rejects.toThrow(/^Invalid JSON: /);

    const noState = client.send(new UpdateThingShadowCommand({ thingName: 'heater-5', payload: encode({ desired: { on: true } }) }));
    await expect(noState).rejects.toThrow('Missing required node: state');
    const badSection = client.send(new UpdateThingShadowCommand({ thingName: 'heater-5', payload: encode({ state: { desired: 'on' } }) }));
    await expect(badSection).rejects.toThrow('Desired node must be an object');
    const badName = client.send(new GetThingShadowCommand({ thingName: 'heater 5' }));
    await expect(badName).rejects.toThrow(/^Invalid thingName 'heater 5'/);

    const ok = await client.send(new UpdateThingShadowCommand({ thingName: 'heater-5', payload: encode({ state: { reported: { on: true } } }) }));
    expect(decode(ok.payload).version).toBe(1);
  });

  it('answers malformed raw HTTP with restJson errors and keeps serving', async () => {
    const raw = async (path: string, init?: RequestInit) => {
      const res = await fetch(`${service.endpoint}${path}`, init);
      return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: (await res.json()) as { message: string } };
    };
    expect(await raw('/nowhere')).toMatchObject({ status: 404, type: 'ResourceNotFoundException', body: { message: 'No such operation: GET /nowhere' } });
    expect(await raw('/things/heater-5/shadow', { method: 'PUT', body: '{}' })).toMatchObject({ status: 405, type: 'MethodNotAllowedException' });
    expect(await raw('/things/%E0%A4%A/shadow')).toMatchObject({ status: 400, type: 'InvalidRequestException' });
    expect(await raw('/api/things/shadow/ListNamedShadowsForThing/heater-5?pageSize=lots')).toMatchObject({
      status: 400,
      body: { message: "Invalid pageSize 'lots': it must be a positive integer" },
    });
    expect(await raw('/things/heater-5/shadow', { method: 'POST', body: 'x'.repeat(200_000) })).toMatchObject({ status: 413, type: 'RequestEntityTooLargeException' });
    expect(await raw('/things/heater-5/shadow', { method: 'POST', body: '' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^Invalid JSON/) } });
    expect((await raw('/things/heater-5/shadow')).status).toBe(200);
  });

  it('answers injected faults with the typed exceptions, counting every request the SDK makes', async () => {
    const get = (c: IoTDataPlaneClient, thingName = 'heater-5') => c.send(new GetThingShadowCommand({ thingName }));

    service.faults.inject({ thingName: 'heater-5', status: 429, times: 1 });
    await expect(get(client)).rejects.toBeInstanceOf(ThrottlingException);
    service.faults.inject({ status: 503, times: 1 });
    await expect(get(client)).rejects.toBeInstanceOf(ServiceUnavailableException);
    service.faults.inject({ status: 500, times: 1, message: 'disk on fire' });
    const failed = get(client);
    await expect(failed).rejects.toBeInstanceOf(InternalFailureException);
    await expect(failed).rejects.toThrow('disk on fire');

    // A fault for another thing leaves this one alone.
    service.faults.inject({ thingName: 'heater-other', status: 503, times: 1 });
    await expect(get(client)).resolves.toBeDefined();
    service.faults.clear();

    // The SDK retries throttling (3 attempts by default): two faults are absorbed, and both were consumed.
    service.faults.inject({ thingName: 'heater-5', status: 429, times: 2 });
    const retried = await get(retryingClient);
    expect(retried.$metadata.attempts).toBe(3);
    expect(service.faults.pending).toBe(0);
  });

  it('publishes accepted, documents and delta, in that order, when an HTTP update sets desired', async () => {
    const thing = 'heater-7';
    const topics = (['accepted', 'documents', 'delta'] as const).map((r) => shadowTopic(thing, PLAN_SHADOW, 'update', r));
    await device.subscribeAsync(topics, { qos: 1 });

    await client.send(
      new UpdateThingShadowCommand({ thingName: thing, shadowName: PLAN_SHADOW, payload: encode({ state: { desired: { v: 4 }, reported: { v: 3 } } }) }),
    );
    const [accepted, documents, delta] = await Promise.all(topics.map((t) => inbox.next(t)));
    expect(accepted!.body).toMatchObject({ state: { desired: { v: 4 }, reported: { v: 3 } }, version: 1 });
    expect(documents!.body).toMatchObject({ previous: { version: 0 }, current: { state: { desired: { v: 4 }, reported: { v: 3 } }, version: 1 } });
    expect(delta!.body).toEqual({ state: { v: 4 }, metadata: { v: { timestamp: START_S } }, version: 1, timestamp: START_S });
    const order = inbox.all.filter((m) => topics.includes(m.topic)).map((m) => m.topic);
    expect(order).toEqual(topics);

    // Several quick updates arrive in version order.
    for (const v of [5, 6, 7]) {
      await client.send(new UpdateThingShadowCommand({ thingName: thing, shadowName: PLAN_SHADOW, payload: encode({ state: { desired: { v } } }) }));
    }
    const versions = [];
    for (let i = 0; i < 3; i += 1) versions.push((await inbox.next(topics[0]!)).body.version);
    expect(versions).toEqual([2, 3, 4]);
    await Promise.all([inbox.next(topics[1]!), inbox.next(topics[1]!), inbox.next(topics[1]!)]);
    await Promise.all([inbox.next(topics[2]!), inbox.next(topics[2]!), inbox.next(topics[2]!)]);
  });

  it('serves a device reporting over MQTT, after which GET shows no delta', async () => {
    const thing = 'heater-7';
    const accepted = shadowTopic(thing, PLAN_SHADOW, 'update', 'accepted');
    const deltaTopic = shadowTopic(thing, PLAN_SHADOW, 'update', 'delta');

    await device.publishAsync(shadowTopic(thing, PLAN_SHADOW, 'update'), JSON.stringify({ state: { reported: { v: 7 } }, clientToken: 'rep-7' }), { qos: 1 });
    const answer = await inbox.next(accepted);
    expect(answer.body).toMatchObject({ state: { reported: { v: 7 } }, version: 5, clientToken: 'rep-7' });

    const shadow = decode((await client.send(new GetThingShadowCommand({ thingName: thing, shadowName: PLAN_SHADOW }))).payload);
    expect(shadow.state).toEqual({ desired: { v: 7 }, reported: { v: 7 } });
    await service.flush();
    expect(inbox.all.filter((m) => m.topic === deltaTopic)).toHaveLength(4);
  });

  it('answers MQTT get and delete on /accepted or /rejected, and rejects a malformed MQTT update', async () => {
    const thing = 'heater-8';
    const base = (op: 'get' | 'update' | 'delete', r: 'accepted' | 'rejected') => shadowTopic(thing, undefined, op, r);
    await device.subscribeAsync([base('get', 'accepted'), base('get', 'rejected'), base('update', 'rejected'), base('delete', 'accepted')], { qos: 1 });

    await device.publishAsync(shadowTopic(thing, undefined, 'get'), JSON.stringify({ clientToken: 'g-1' }), { qos: 1 });
    expect((await inbox.next(base('get', 'rejected'))).body).toEqual({
      code: 404,
      message: "No shadow exists with name: 'heater-8'",
      clientToken: 'g-1',
      timestamp: START_S,
    });

    await device.publishAsync(shadowTopic(thing, undefined, 'update'), '{"state": {', { qos: 1 });
    expect((await inbox.next(base('update', 'rejected'))).body).toMatchObject({ code: 400, message: expect.stringMatching(/^Invalid JSON/) });
    await device.publishAsync(shadowTopic(thing, undefined, 'update'), JSON.stringify({ state: { reported: 'hot' }, clientToken: 'u-1' }), { qos: 1 });
    expect((await inbox.next(base('update', 'rejected'))).body).toMatchObject({ code: 400, message: 'Reported node must be an object', clientToken: 'u-1' });

    await device.publishAsync(shadowTopic(thing, undefined, 'update'), JSON.stringify({ state: { reported: { on: true } } }), { qos: 1 });
    await device.publishAsync(shadowTopic(thing, undefined, 'get'), '', { qos: 1 });
    expect((await inbox.next(base('get', 'accepted'))).body).toMatchObject({ state: { reported: { on: true } }, version: 1 });

    await device.publishAsync(shadowTopic(thing, undefined, 'delete'), '', { qos: 1 });
    expect((await inbox.next(base('delete', 'accepted'))).body).toEqual({ version: 1, timestamp: START_S });
    expect(service.store.get(thing)).toBeUndefined();
  });

  it('publishes through the HTTP Publish API, and serves a shadow request published that way', async () => {
    await device.subscribeAsync('hearth/announcements', { qos: 1 });
    await client.send(new PublishCommand({ topic: 'hearth/announcements', qos: 1, payload: encode({ hello: 'world' }) }));
    expect((await inbox.next('hearth/announcements')).body).toEqual({ hello: 'world' });

    await client.send(new PublishCommand({ topic: shadowTopic('heater-9', undefined, 'update'), payload: encode({ state: { reported: { via: 'publish' } } }) }));
    await service.flush();
    expect(service.store.get('heater-9')?.state).toEqual({ reported: { via: 'publish' } });
  });

  it('stamps documents with the virtual clock', async () => {
    clock = new Date(START.getTime() + 3_600_000);
    const out = await client.send(new UpdateThingShadowCommand({ thingName: 'heater-10', payload: encode({ state: { reported: { a: 1 } } }) }));
    expect(decode(out.payload).timestamp).toBe(START_S + 3600);
    clock = START;
  });
});

describe('per-thing throttling on the service clock', () => {
  let service: LocalShadowService;
  let client: IoTDataPlaneClient;
  let clock = START;

  beforeAll(async () => {
    service = await startShadowService({ now: () => clock, maxRequestsPerThingPerSecond: 2 });
    client = dataPlane(service.endpoint, 1);
  });

  afterAll(async () => {
    client?.destroy();
    await service?.close();
  });

  it('answers requests beyond the limit within one second with ThrottlingException, per thing', async () => {
    const put = (thingName: string) => client.send(new UpdateThingShadowCommand({ thingName, payload: encode({ state: { reported: { n: 1 } } }) }));
    await put('busy');
    await put('busy');
    const third = put('busy');
    await expect(third).rejects.toBeInstanceOf(ThrottlingException);
    await expect(third).rejects.toThrow(/more than 2 requests per second for thing 'busy'/);
    await expect(put('quiet')).resolves.toBeDefined();

    clock = new Date(START.getTime() + 1_000);
    await expect(put('busy')).resolves.toBeDefined();
  });

  it('counts the requests it answered, refused ones included, and the bytes updates carried', async () => {
    const before = service.requests();
    const payload = encode({ state: { reported: { n: 2 } } });
    clock = new Date(START.getTime() + 10_000);
    await client.send(new UpdateThingShadowCommand({ thingName: 'counted', payload }));
    await client.send(new GetThingShadowCommand({ thingName: 'counted' }));
    await expect(client.send(new GetThingShadowCommand({ thingName: 'never-written' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const after = service.requests();
    expect((after.byMethod.POST ?? 0) - (before.byMethod.POST ?? 0)).toBe(1);
    expect((after.byMethod.GET ?? 0) - (before.byMethod.GET ?? 0)).toBe(2);
    expect(after.updateBytes - before.updateBytes).toBe(payload.byteLength);
  });
});

describe('local MQTT broker', () => {
  it('closes with a client still connected, ending its connection', async () => {
    const broker = await startMqttBroker();
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const mqttClient = await connectAsync(broker.url, { clientId: 'lingering', reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => mqttClient.once('close', () => resolve()));
    await broker.close();
    await closed;
    await broker.close();
    await mqttClient.endAsync(true);
  });
});
