import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DR_TOKEN_SECRET_ENV, EVENT_BUS_ENV } from '../../wiring/functions.ts';
import { DR_METRICS } from '../../wiring/metrics.ts';
import { dynamoStores } from '../adapters/dynamodb/stores.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { SecretsManagerTokenSource } from '../adapters/secrets/secrets-manager-token-source.ts';
import { getEventBridge } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/environment.ts';
import { LOG_CONTEXT, logger, metrics } from '../commons/observability.ts';
import { recordVtnNotification, vtnContactLogFromEnvironment } from '../adapters/openadr/vtn-contact.ts';
import type { VtnContactLog } from '../ports/ven-state.ts';
import { drProgramsFromEnv } from '../commons/dr-programs.ts';
import { utilityOfBearerToken } from '../domain/grid/bearer-token.ts';
import { receiveDispatch } from '../domain/grid/receive-dispatch.ts';
import { receiveNotification, type ReceiveNotificationPorts } from '../domain/grid/receive-notification.ts';
import { systemClock } from '../ports/clock.ts';
import type { TokenSource } from '../ports/token-source.ts';

/** OpenADR notifications are small; anything larger is refused before it is read into a parser. */
export const MAX_BODY_BYTES = 64 * 1024;

type Ports = ReceiveNotificationPorts & { tokens: TokenSource; vtnContact: VtnContactLog | null };
type Response = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown): Response => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const header = (event: APIGatewayProxyEventV2, name: string): string | undefined =>
  Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

/** Paths of the two webhooks this function serves; everything else about them is shared. */
export const DISPATCH_PATH = '/dispatch';

/**
 * The VTN's subscription callback, and the plain JSON dispatch webhook. GET with `echo` answers the
 * subscription handshake; POST carries an OpenADR notification (or, on /dispatch, a plain dispatch), which is
 * authenticated, validated, stored once and turned into GridEventReceived.
 */
export function makeHandler(overrides: Partial<Ports> = {}) {
  let ports: Ports | undefined;
  const getPorts = (): Ports =>
    (ports ??= {
      gridEvents: overrides.gridEvents ?? dynamoStores.gridEvents(),
      quarantine: overrides.quarantine ?? dynamoStores.quarantine(),
      events: overrides.events ?? new EventBridgePublisher(getEventBridge(), requireEnv(EVENT_BUS_ENV)),
      clock: overrides.clock ?? systemClock,
      tokens: overrides.tokens ?? new SecretsManagerTokenSource(new SecretsManagerClient({}), requireEnv(DR_TOKEN_SECRET_ENV)),
      vtnContact: overrides.vtnContact !== undefined ? overrides.vtnContact : vtnContactLogFromEnvironment(),
    });

  const handle = async (event: APIGatewayProxyEventV2): Promise<Response> => {
    const method = event.requestContext.http.method;
    if (method === 'GET') {
      const echo = event.queryStringParameters?.echo;
      if (echo === undefined) return json(400, { error: 'a subscription check needs the query parameter echo' });
      return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: echo };
    }
    if (method !== 'POST') return json(405, { error: `method ${method} is not allowed` });

    const p = getPorts();
    if (!header(event, 'authorization')) return json(401, { error: 'missing bearer token' });
    const utility = await utilityOfBearerToken(header(event, 'authorization'), await p.tokens.tokens());
    if (utility === undefined) {
      metrics.addMetric(DR_METRICS.webhookForbidden, MetricUnit.Count, 1);
      return json(403, { error: 'token not accepted' });
    }
    logger.appendKeys({ utility });
    const caller = { utility, programs: drProgramsFromEnv() };
    // The VEN polls the VTN only while its notifications stop arriving.
    if (!event.rawPath.endsWith(DISPATCH_PATH)) await recordVtnNotification(p.clock.now(), p.vtnContact);
    const body = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_BODY_BYTES) return json(413, { error: `body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}` });

    const outcome = event.rawPath.endsWith(DISPATCH_PATH) ? await receiveDispatch(body, p, caller) : await receiveNotification(body, p, caller);
    switch (outcome.status) {
      case 'invalid':
        metrics.addMetric(DR_METRICS.notificationInvalid, MetricUnit.Count, 1);
        logger.warn('DR notification refused', { reason: outcome.reason });
        return json(400, { error: outcome.reason });
      case 'forbidden':
        metrics.addMetric(DR_METRICS.webhookForbidden, MetricUnit.Count, 1);
        logger.warn('DR notification refused', { reason: outcome.reason });
        return json(403, { error: outcome.reason });
      case 'stored':
        metrics.addMetric(DR_METRICS.eventStored, MetricUnit.Count, 1);
        logger.info('grid event stored', { gridEventId: outcome.gridEventId, change: outcome.change });
        return json(200, { status: outcome.status, id: outcome.gridEventId });
      case 'duplicate':
        return json(200, { status: outcome.status, id: outcome.gridEventId });
      case 'ignored':
        return json(200, { status: outcome.status, objectType: outcome.objectType });
    }
  };

  return middy(async (event: APIGatewayProxyEventV2, _context: Context) => handle(event))
    .use(injectLambdaContext(logger, LOG_CONTEXT.httpApi))
    .use(logMetrics(metrics));
}

export const handler = makeHandler();
