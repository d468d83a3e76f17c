import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface LocalRequest {
  method: string;
  /** Path and query, e.g. `/openadr3/callback?echo=x`. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  sourceIp?: string;
  at: Date;
}

/** The HTTP API's payload 2.0 event for a request, as API Gateway hands it to a function. */
export function apiGatewayEvent(request: LocalRequest): APIGatewayProxyEventV2 {
  const url = new URL(request.url, 'http://localhost');
  const query = Object.fromEntries(url.searchParams);
  const { method, headers } = request;
  return {
    version: '2.0',
    routeKey: `${method} ${url.pathname}`,
    rawPath: url.pathname,
    rawQueryString: url.searchParams.toString(),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: `local-${request.at.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      routeKey: `${method} ${url.pathname}`,
      stage: '$default',
      time: request.at.toUTCString(),
      timeEpoch: request.at.getTime(),
    },
    ...(request.body ? { body: request.body } : {}),
    isBase64Encoded: false,
  };
}
