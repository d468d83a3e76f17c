import { readFileSync } from 'node:fs';
import { IoTClient } from '@aws-sdk/client-iot';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IotThingRegistry } from '../../functions/adapters/iot/iot-thing-registry.ts';
import { logger } from '../../functions/commons/observability.ts';
import { makeHandler as makeDevicesApi } from '../../functions/handlers/devices-api.ts';
import { makeHandler as makeDrWebhook } from '../../functions/handlers/dr-webhook.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startControlPlaneService, type LocalControlPlane } from '../../local/iot/control-plane-service.ts';
import { captureLogs, type CapturedLogs } from '../support/captured-logs.ts';
import { httpEvent } from '../support/http-event.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { MemoryGridEventStore, MemoryQuarantine } from '../support/memory-stores.ts';
import { lambdaContext } from '../support/sqs-event.ts';

// Before the handlers' logger is created: this file reads the INFO lines a deployed function prints.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

/** An HTTP API request with its own request id, the correlation id API Gateway also writes to its access log. */
function request(method: 'GET' | 'POST' | 'DELETE', path: string, requestId: string, options: { body?: string; deviceId?: string } = {}): APIGatewayProxyEventV2 {
  const event = httpEvent('GET', path, options.body !== undefined ? { body: options.body } : {});
  return {
    ...event,
    routeKey: `${method} ${path}`,
    requestContext: { ...event.requestContext, requestId, http: { ...event.requestContext.http, method } },
    ...(options.deviceId !== undefined ? { pathParameters: { deviceId: options.deviceId } } : {}),
  };
}

let logs: CapturedLogs;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('devices API logs: the device and the request, never the private key', () => {
  const POLICY = 'hearth-test-device';
  const [record] = generateFleet(1, 7).map((h) => h.record);
  let db: DynamoFixture;
  let controlPlane: LocalControlPlane;
  let iot: IoTClient;
  let handler: ReturnType<typeof makeDevicesApi>;

  beforeAll(async () => {
    db = await startDynamoFixture();
    controlPlane = await startControlPlaneService({ policies: { [POLICY]: '{}' } });
    iot = new IoTClient({ endpoint: controlPlane.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    handler = makeDevicesApi({
      registry: db.stores.devices(),
      things: new IotThingRegistry(iot, POLICY),
      status: db.stores.deviceStatus(),
    });
  });
  afterAll(async () => {
    iot?.destroy();
    await controlPlane?.close();
    await db?.close();
  });

  it('registration: logged with the device id and the request id; the new private key is only in the response', async () => {
    const out = (await handler(request('POST', '/devices', 'req-register-1', { body: JSON.stringify({ device: record }) }), lambdaContext)) as { statusCode: number; body: string };
    expect(out.statusCode).toBe(201);
    const { privateKey } = (JSON.parse(out.body) as { issued: { privateKey: string } }).issued;
    expect(privateKey).toMatch(/PRIVATE KEY/);

    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'device registered', deviceId: record!.deviceId, correlation_id: 'req-register-1' }));
    const text = logs.text();
    expect(text).not.toContain('PRIVATE KEY');
    // Any line of the key's body would do; the middle one cannot be a PEM header.
    const keyLines = privateKey.split('\n').filter(Boolean);
    expect(text).not.toContain(keyLines[Math.floor(keyLines.length / 2)]!);
  });

  it('a request on one device carries its id on every line, and nothing of it outlives the request', async () => {
    await handler(request('DELETE', '/devices/{deviceId}', 'req-delete-1', { deviceId: record!.deviceId }), lambdaContext);
    const lines = logs.lines;
    expect(lines).toContainEqual(expect.objectContaining({ message: 'device decommissioned', deviceId: record!.deviceId, correlation_id: 'req-delete-1' }));
    for (const line of lines) expect(line).toMatchObject({ deviceId: record!.deviceId, correlation_id: 'req-delete-1' });

    // Appended keys are reset after each invocation: a warm container must not tag the next one's lines.
    logger.info('after the request');
    const after = logs.lines.at(-1)!;
    expect(after.message).toBe('after the request');
    expect(after.deviceId).toBeUndefined();
    expect(after.correlation_id).toBeUndefined();
  });
});

describe('DR webhook logs: the grid event, never the bearer token', () => {
  const TOKEN = 'utility-token-log-check-0123456789';
  const WRONG = 'not-the-token-log-check-9876543210';
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/openadr3/${name}`, import.meta.url), 'utf8');
  const notification = (id: string, event: Record<string, unknown>) =>
    JSON.stringify({ objectType: 'EVENT', operation: 'CREATE', object: { ...event, id, modificationDateTime: '2026-11-24T16:00:00Z' } });
  const handler = makeDrWebhook({
    gridEvents: new MemoryGridEventStore(),
    quarantine: new MemoryQuarantine(),
    events: { publish: async () => undefined },
    clock: { now: () => new Date('2026-11-24T17:00:00Z') },
    tokens: { tokens: async () => [{ utility: 'default', token: TOKEN }] },
  });
  const post = (body: string, token: string) =>
    handler(httpEvent('POST', '/openadr3/callback', { body, headers: { authorization: `Bearer ${token}` } }), lambdaContext) as Promise<{ statusCode: number }>;

  it('a stored event is logged with its grid event id; neither the accepted nor a refused token appears anywhere', async () => {
    expect((await post(notification('evt-log-1', JSON.parse(fixture('event-simple-load-shed.json')) as Record<string, unknown>), TOKEN)).statusCode).toBe(200);
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'grid event stored', gridEventId: expect.stringContaining('evt-log-1') }));
    expect((await post('{"objectType": "EVENT"}', TOKEN)).statusCode).toBe(400);
    expect((await post(notification('evt-log-2', {}), WRONG)).statusCode).toBe(403);
    const text = logs.text();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(WRONG);
    expect(text.toLowerCase()).not.toContain('bearer');
  });
});
