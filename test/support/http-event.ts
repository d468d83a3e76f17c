import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiGatewayEvent } from '../../local/runtime/api-gateway-event.ts';

/** An API Gateway HTTP API (payload 2.0) event, as the DR webhook route delivers it. */
export function httpEvent(method: 'GET' | 'POST' | 'PUT', path: string, options: { body?: string; headers?: Record<string, string>; query?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  const query = new URLSearchParams(options.query ?? {}).toString();
  return apiGatewayEvent({
    method,
    url: query ? `${path}?${query}` : path,
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
    at: new Date(0),
  });
}
