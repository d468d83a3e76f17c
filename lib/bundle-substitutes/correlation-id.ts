/**
 * Stands in for `@aws-lambda-powertools/logger/correlationId` in the Lambda bundles (see BUNDLE_SUBSTITUTES in
 * lib/bundling.ts). Powertools' `search` runs a full JMESPath interpreter (about 23 KB of bundle) for what
 * its `correlationPaths` all are: a chain of field names, plain or quoted (`requestContext.requestId`,
 * `headers."x-amzn-trace-id"`). This module reads such chains with JMESPath's meaning (a missing field, or a
 * field of something that is not an object, is `null`) and refuses any other expression rather than guess.
 * test/infra/bundle-substitutes.test.ts holds it to Powertools' own `search` and `correlationPaths`.
 */

/** The same paths as Powertools' `correlationPaths` (checked equal by the test). */
export const correlationPaths = {
  API_GATEWAY_REST: 'requestContext.requestId',
  API_GATEWAY_HTTP: 'requestContext.requestId',
  APPSYNC_AUTHORIZER: 'requestContext.requestId',
  APPSYNC_RESOLVER: 'request.headers."x-amzn-trace-id"',
  APPLICATION_LOAD_BALANCER: 'headers."x-amzn-trace-id"',
  EVENT_BRIDGE: 'id',
  LAMBDA_FUNCTION_URL: 'requestContext.requestId',
  S3_OBJECT_LAMBDA: 'xAmzRequestId',
  VPC_LATTICE: 'headers."x-amzn-trace-id"',
} as const;

const FIELD = /^(?:([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*"))(?:\.|$)/;
const parsed = new Map<string, readonly string[]>();

/** The field names of a JMESPath field chain; throws on any other expression. */
export function fieldPath(expression: string): readonly string[] {
  const known = parsed.get(expression);
  if (known) return known;
  const fields: string[] = [];
  let rest = expression;
  while (rest.length) {
    const match = FIELD.exec(rest);
    const field = match && (match[1] ?? (JSON.parse(match[2]!) as string));
    if (!match || (match[0].endsWith('.') && match[0].length === rest.length)) {
      throw new Error(`correlation id path '${expression}' is not a chain of field names, the only JMESPath the Lambda bundles read (lib/bundle-substitutes/correlation-id.ts)`);
    }
    fields.push(field!);
    rest = rest.slice(match[0].length);
  }
  if (!fields.length) throw new Error('correlation id path is empty');
  parsed.set(expression, fields);
  return fields;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `search(expression, data)` as Powertools' correlation-id search, for field chains. */
export function search(expression: string, data: unknown): unknown {
  let value: unknown = data;
  for (const field of fieldPath(expression)) {
    value = isObject(value) && Object.hasOwn(value, field) ? value[field] : null;
  }
  return value ?? null;
}
