import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DeviceId } from '../../schemas/primitives.ts';
import { DEVICE_POLICY_ENV } from '../../wiring/functions.ts';
import { DEVICES_API_METRICS } from '../../wiring/metrics.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { IotThingRegistry } from '../adapters/iot/iot-thing-registry.ts';
import { getIot } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/environment.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
import { decommissionDevice } from '../domain/devices/decommission-device.ts';
import { describeDevice, listDevices } from '../domain/devices/describe-devices.ts';
import type { DeviceAdminPorts } from '../domain/devices/device-admin-ports.ts';
import { registerDevice } from '../domain/devices/register-device.ts';
import { isManagedGroup } from '../domain/devices/thing-groups.ts';

/** A registration is a device record and maybe a certificate ARN: a few KB. */
export const MAX_BODY_BYTES = 32 * 1024;

type Response = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown): Response => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

function parseBody(event: APIGatewayProxyEventV2): { ok: true; value: unknown } | { ok: false; response: Response } {
  const text = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_BODY_BYTES) return { ok: false, response: json(413, { error: `body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}` }) };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, response: json(400, { error: `body is not valid JSON: ${(e as Error).message}` }) };
  }
}

/**
 * The operator API for devices, behind IAM: POST /devices registers (201, with new keys and certificate once
 * when Hearth created them), GET /devices?group=… lists, GET /devices/{deviceId} describes, DELETE
 * /devices/{deviceId} decommissions. Bad input gets a 4xx naming the problem.
 */
export function makeHandler(overrides: Partial<DeviceAdminPorts> = {}) {
  let ports: DeviceAdminPorts | undefined;
  const getPorts = (): DeviceAdminPorts =>
    (ports ??= {
      registry: overrides.registry ?? dynamoStores.devices(),
      things: overrides.things ?? new IotThingRegistry(getIot(), requireEnv(DEVICE_POLICY_ENV)),
      status: overrides.status ?? dynamoStores.deviceStatus(),
    });

  const handle = async (event: APIGatewayProxyEventV2): Promise<Response> => {
    const method = event.requestContext.http.method;
    const rawId = event.pathParameters?.deviceId;
    if (rawId !== undefined) {
      const id = DeviceId.safeParse(rawId);
      if (!id.success) return json(400, { error: `deviceId '${rawId}' is not a device id: ${id.error.issues[0]?.message}` });
      logger.appendKeys({ deviceId: id.data });
      if (method === 'GET') {
        const description = await describeDevice(id.data, getPorts());
        return description ? json(200, description) : json(404, { error: `no device ${id.data}` });
      }
      if (method === 'DELETE') {
        const outcome = await decommissionDevice(id.data, getPorts());
        metrics.addMetric(DEVICES_API_METRICS.decommissions, MetricUnit.Count, outcome.existed ? 1 : 0);
        logger.info('device decommissioned', { ...outcome });
        return outcome.existed ? json(200, outcome) : json(404, { error: `no device ${id.data}` });
      }
      return json(405, { error: `${method} is not allowed on /devices/{deviceId}` });
    }
    if (method === 'GET') {
      const group = event.queryStringParameters?.group;
      if (group !== undefined && !isManagedGroup(group)) {
        return json(400, { error: `group '${group}' is not one Hearth manages: zone-<zone>, dr-<program> or feeder-<feeder>` });
      }
      return json(200, { group: group ?? null, deviceIds: await listDevices(getPorts(), group) });
    }
    if (method === 'POST') {
      const body = parseBody(event);
      if (!body.ok) return body.response;
      const outcome = await registerDevice(body.value, getPorts());
      if (!outcome.ok) return json(400, { error: outcome.reason });
      metrics.addMetric(DEVICES_API_METRICS.registrations, MetricUnit.Count, 1);
      // Never log the private key: only what identifies the registration.
      logger.info('device registered', { deviceId: outcome.deviceId, groups: outcome.groups, issuedCertificate: outcome.issued?.certificateArn });
      return json(201, outcome);
    }
    return json(405, { error: `${method} is not allowed on /devices` });
  };

  return middy(async (event: APIGatewayProxyEventV2, _context: Context) => handle(event))
    .use(injectLambdaContext(logger, LOG_CONTEXT.httpApi))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
