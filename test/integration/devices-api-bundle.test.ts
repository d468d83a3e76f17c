import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoEnvironment } from '../../local/aws/dynamodb-local.ts';
import { generateFleet } from '../../local/fleet/generate-fleet.ts';
import { startControlPlaneService, type LocalControlPlane } from '../../local/iot/control-plane-service.ts';
import { DEVICE_POLICY_ENV, functions, type FunctionSpec } from '../../wiring/functions.ts';
import { HandlerBundle } from '../support/handler-bundle.ts';
import { httpEvent } from '../support/http-event.ts';
import { startDynamoFixture, type DynamoFixture } from '../support/local-dynamo.ts';

/**
 * The devices API as deployed: its bundle built with the CDK's esbuild options (schemas of unused IoT
 * operations tree-shaken away) and run by a plain `node`, against dynalite and the local IoT control plane.
 * What the bundle must still hold is every schema the handler's IoT calls serialise and parse, errors included.
 */

const spec: FunctionSpec = functions.devicesApi;
const POLICY = 'hearth-test-device';
const [first] = generateFleet(1, 4).map((h) => h.record);
const record = { ...first!, drProgramId: 'summer-peak', feederId: 'f-17' };


function request(method: 'GET' | 'POST' | 'DELETE', path: string, options: { body?: unknown; query?: Record<string, string>; deviceId?: string } = {}): APIGatewayProxyEventV2 {
  const event = httpEvent(method as 'GET', path, {
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.query ? { query: options.query } : {}),
  });
  return options.deviceId !== undefined ? { ...event, pathParameters: { deviceId: options.deviceId } } : event;
}

describe('the devices API bundle against dynalite and the local IoT control plane', () => {
  let bundle: HandlerBundle;
  let db: DynamoFixture;
  let controlPlane: LocalControlPlane;

  /** The responses, status and parsed body, of one fresh container invoked with these events. */
  const invoke = async (...events: APIGatewayProxyEventV2[]): Promise<{ status: number; body: Record<string, unknown> }[]> => {
    const { outcomes } = await bundle.invoke(events, { AWS_ENDPOINT_URL_IOT: controlPlane.endpoint, ...dynamoEnvironment(db), [DEVICE_POLICY_ENV]: POLICY });
    return outcomes.map((outcome) => {
      if ('error' in outcome) throw new Error(`the bundled handler threw: ${outcome.error}`);
      const response = outcome.result as { statusCode: number; body: string };
      return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
    });
  };

  beforeAll(async () => {
    bundle = await HandlerBundle.build(spec);
    db = await startDynamoFixture();
    controlPlane = await startControlPlaneService({ policies: { [POLICY]: '{}' } });
  });
  afterAll(async () => {
    await controlPlane?.close();
    await db?.close();
    bundle?.remove();
  });

  it('is the tree-shaken bundle: no schema of an IoT operation the handler never calls', () => {
    const code = readFileSync(bundle.file, 'utf8');
    expect(code).toContain('/things/{thingName}');
    expect(code).not.toContain('/streams/{streamId}');
  });

  it('registers a device, registers it again, describes and lists it', async () => {
    const [created, again, shown, listed, unknown] = await invoke(
      request('POST', '/devices', { body: { device: record } }),
      request('POST', '/devices', { body: { device: record } }),
      request('GET', '/devices/{deviceId}', { deviceId: record.deviceId }),
      request('GET', '/devices', { query: { group: 'feeder-f-17' } }),
      request('GET', '/devices/{deviceId}', { deviceId: 'heater-nobody' }),
    );

    expect(created).toMatchObject({ status: 201, body: { ok: true, deviceId: record.deviceId, groups: ['zone-DK2', 'dr-summer-peak', 'feeder-f-17'] } });
    const issued = created!.body.issued as { certificateArn: string; certificateId: string; certificatePem: string };
    expect(new X509Certificate(issued.certificatePem).fingerprint256.replaceAll(':', '').toLowerCase()).toBe(issued.certificateId);
    const model = controlPlane.registry;
    expect(model.describeThing(record.deviceId).attributes).toEqual({ siteId: record.siteId, zone: 'DK2', weatherCellId: 'malmo' });
    expect(model.principalsOfThing(record.deviceId)).toEqual([issued.certificateArn]);
    expect(model.policiesOf(issued.certificateArn)).toEqual([POLICY]);
    expect(model.thingsInGroup('feeder-f-17')).toEqual([record.deviceId]);

    expect(again).toMatchObject({ status: 201, body: { certificateArns: [issued.certificateArn] } });
    expect(again!.body.issued).toBeUndefined();
    expect(shown).toMatchObject({ status: 200, body: { deviceId: record.deviceId, record, thing: { groups: ['dr-summer-peak', 'feeder-f-17', 'zone-DK2'], certificateArns: [issued.certificateArn] } } });
    expect(listed).toMatchObject({ status: 200, body: { deviceIds: [record.deviceId] } });
    expect(unknown!.status).toBe(404);
  });

  it('decommissions it: certificate detached, deactivated and deleted, thing and record gone', async () => {
    const certificateArn = controlPlane.registry.principalsOfThing(record.deviceId)[0]!;
    const [removed, shown] = await invoke(request('DELETE', '/devices/{deviceId}', { deviceId: record.deviceId }), request('GET', '/devices/{deviceId}', { deviceId: record.deviceId }));
    expect(removed).toMatchObject({ status: 200, body: { existed: true, certificates: [{ certificateArn, outcome: 'deleted' }] } });
    expect(controlPlane.registry.things.has(record.deviceId)).toBe(false);
    expect(shown!.status).toBe(404);
  });
});
