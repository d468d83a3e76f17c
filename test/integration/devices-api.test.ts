import { X509Certificate } from 'node:crypto';
import { CreateKeysAndCertificateCommand, IoTClient } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDeviceRegistry } from '../../functions/adapters/dynamodb/device-registry.ts';
import { IotThingRegistry } from '../../functions/adapters/iot/iot-thing-registry.ts';
import { makeHandler } from '../../functions/handlers/devices-api.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startControlPlaneService, type LocalControlPlane } from '../../local/iot/control-plane-service.ts';
import { httpEvent } from '../support/http-event.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';
import { lambdaContext } from '../support/sqs-event.ts';

const POLICY = 'hearth-test-device';
const [first, second] = generateFleet(2, 4).map((h) => h.record);
const record = { ...first!, drProgramId: 'summer-peak', feederId: 'f-17' };

describe('devices API against dynalite and the local IoT control plane, through @aws-sdk/client-iot', () => {
  let db: DynamoFixture;
  let controlPlane: LocalControlPlane;
  let iot: IoTClient;
  let registry: DynamoDeviceRegistry;
  let handler: ReturnType<typeof makeHandler>;

  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, options: { body?: unknown; query?: Record<string, string>; deviceId?: string } = {}) => {
    const event = httpEvent(method as 'GET', path, {
      ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
      ...(options.query ? { query: options.query } : {}),
    });
    const withId = options.deviceId !== undefined ? { ...event, pathParameters: { deviceId: options.deviceId } } : event;
    const out = (await handler(withId, lambdaContext)) as { statusCode: number; body: string };
    return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = await startDynamoFixture();
    controlPlane = await startControlPlaneService({ policies: { [POLICY]: '{}' } });
    iot = new IoTClient({ endpoint: controlPlane.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    registry = db.stores.devices();
    handler = makeHandler({ registry, things: new IotThingRegistry(iot, POLICY), status: db.stores.deviceStatus() });
  });
  afterAll(async () => {
    iot?.destroy();
    await controlPlane?.close();
    await db?.close();
  });

  it('registers a device: thing with attributes, zone/DR/feeder groups, a new certificate with the device policy, the record', async () => {
    const { status, body } = await call('POST', '/devices', { body: { device: record } });
    expect(status).toBe(201);
    expect(body).toMatchObject({ ok: true, deviceId: record.deviceId, groups: ['zone-DK2', 'dr-summer-peak', 'feeder-f-17'] });
    const issued = body.issued as { certificateArn: string; certificateId: string; certificatePem: string; privateKey: string };
    // A real X.509 certificate, whose id is its SHA-256 fingerprint, as AWS IoT names them.
    const certificate = new X509Certificate(issued.certificatePem);
    expect(certificate.fingerprint256.replaceAll(':', '').toLowerCase()).toBe(issued.certificateId);
    expect(issued.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);

    const model = controlPlane.registry;
    expect(model.describeThing(record.deviceId).attributes).toEqual({ siteId: record.siteId, zone: 'DK2', weatherCellId: 'malmo' });
    expect(model.principalsOfThing(record.deviceId)).toEqual([issued.certificateArn]);
    expect(model.policiesOf(issued.certificateArn)).toEqual([POLICY]);
    expect(model.thingsInGroup('feeder-f-17')).toEqual([record.deviceId]);
    expect(await registry.get(record.deviceId)).toEqual(record);
  });

  it('registering again changes nothing and creates no second certificate; a changed record moves its groups', async () => {
    const again = await call('POST', '/devices', { body: { device: record } });
    expect(again.status).toBe(201);
    expect(again.body.issued).toBeUndefined();
    expect(again.body.certificateArns).toHaveLength(1);

    const moved = { ...record, zone: 'DK1', feederId: undefined };
    delete moved.feederId;
    const { body } = await call('POST', '/devices', { body: { device: moved } });
    expect(body.groups).toEqual(['zone-DK1', 'dr-summer-peak']);
    expect(controlPlane.registry.groupsOfThing(record.deviceId).map((g) => g.groupName)).toEqual(['dr-summer-peak', 'zone-DK1']);
    expect(controlPlane.registry.describeThing(record.deviceId).attributes.zone).toBe('DK1');
    await call('POST', '/devices', { body: { device: record } });
  });

  it('attaches a certificate the device already holds instead of creating one', async () => {
    const own = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const { status, body } = await call('POST', '/devices', { body: { device: second, certificateArn: own.certificateArn } });
    expect(status).toBe(201);
    expect(body.issued).toBeUndefined();
    expect(body.certificateArns).toEqual([own.certificateArn]);
    expect(controlPlane.registry.policiesOf(own.certificateArn!)).toEqual([POLICY]);
  });

  it('lists by group and in all, and describes one device with its thing, groups and certificates', async () => {
    expect((await call('GET', '/devices', { query: { group: 'zone-DK2' } })).body.deviceIds).toEqual([first!.deviceId, second!.deviceId]);
    expect((await call('GET', '/devices', { query: { group: 'dr-summer-peak' } })).body.deviceIds).toEqual([first!.deviceId]);
    expect((await call('GET', '/devices', { query: { group: 'zone-XX' } })).body.deviceIds).toEqual([]);
    expect((await call('GET', '/devices')).body.deviceIds).toEqual([first!.deviceId, second!.deviceId]);
    const shown = await call('GET', '/devices/{deviceId}', { deviceId: first!.deviceId });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ deviceId: first!.deviceId, record, thing: { groups: ['dr-summer-peak', 'feeder-f-17', 'zone-DK2'] } });
    expect((shown.body.thing as { certificateArns: string[] }).certificateArns).toHaveLength(1);
  });

  it('refuses bad input with a 4xx naming the problem', async () => {
    expect(await call('POST', '/devices', { body: '{nope' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/not valid JSON/) } });
    expect(await call('POST', '/devices', { body: { device: { ...record, zone: '' } } })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/device\.zone/) } });
    expect(await call('POST', '/devices', { body: { device: { ...record, siteId: 'Rue de la Paix 1' } } })).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/siteId 'Rue de la Paix 1' cannot be an IoT thing attribute/) },
    });
    expect(await call('POST', '/devices', { body: { device: record, certificateArn: 'arn:aws:iot:x' } })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/certificateArn/) } });
    expect(await call('GET', '/devices/{deviceId}', { deviceId: 'no spaces' })).toMatchObject({ status: 400 });
    expect(await call('GET', '/devices', { query: { group: 'admins' } })).toMatchObject({ status: 400 });
    expect(await call('GET', '/devices/{deviceId}', { deviceId: 'heater-nobody' })).toMatchObject({ status: 404 });
  });

  it('decommissions: certificate detached, deactivated and deleted, groups left, thing and record gone; again is a 404', async () => {
    const certificateArn = controlPlane.registry.principalsOfThing(first!.deviceId)[0]!;
    const { status, body } = await call('DELETE', '/devices/{deviceId}', { deviceId: first!.deviceId });
    expect(status).toBe(200);
    expect(body).toMatchObject({ existed: true, certificates: [{ certificateArn, outcome: 'deleted' }], groupsLeft: ['dr-summer-peak', 'feeder-f-17', 'zone-DK2'] });
    expect(controlPlane.registry.things.has(first!.deviceId)).toBe(false);
    expect([...controlPlane.registry.certificates.values()].some((c) => c.certificateArn === certificateArn)).toBe(false);
    expect(await registry.get(first!.deviceId)).toBeUndefined();
    expect((await call('DELETE', '/devices/{deviceId}', { deviceId: first!.deviceId })).status).toBe(404);
    expect((await call('GET', '/devices', { query: { group: 'zone-DK2' } })).body.deviceIds).toEqual([second!.deviceId]);
  });
});
