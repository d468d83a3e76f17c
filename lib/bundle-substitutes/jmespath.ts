/**
 * Stands in for `@aws-lambda-powertools/jmespath` and its `/functions` entry in the Lambda bundles (see
 * BUNDLE_SUBSTITUTES in lib/bundling.ts). Powertools' `search` is a whole JMESPath interpreter (about 23 KB of
 * bundle), and every expression the bundles give it is a chain of field names, plain or quoted: the logger's
 * correlation paths (`requestContext.requestId`, `headers."x-amzn-trace-id"`, `id`) and the idempotency key of
 * functions/commons/once-per-event.ts (`id`). This module reads such chains with JMESPath's meaning (a missing
 * field, or a field of something that is not an object, is `null`) and refuses any other expression, naming it,
 * rather than guess: a projection, filter or function call added later fails loudly instead of reading `null`
 * (which idempotency would take for "no key" and skip). test/infra/bundle-substitutes.test.ts holds it to
 * Powertools' own `search`; test/integration/plan-devices-bundle.test.ts runs it in a bundle.
 */

const FIELD = /^(?:([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*"))(?:\.|$)/;
const parsed = new Map<string, readonly string[]>();

function refuse(expression: string): never {
  throw new Error(`JMESPath expression '${expression}' is not a chain of field names, the only JMESPath the Lambda bundles read (lib/bundle-substitutes/jmespath.ts)`);
}

/** The field names of a JMESPath field chain; throws on any other expression. */
function fieldPath(expression: string): readonly string[] {
  const known = parsed.get(expression);
  if (known) return known;
  if (typeof expression !== 'string' || !expression.length) refuse(expression);
  const fields: string[] = [];
  let rest = expression;
  while (rest.length) {
    const match = FIELD.exec(rest);
    if (!match || (match[0].endsWith('.') && match[0].length === rest.length)) refuse(expression);
    fields.push(match[1] ?? (JSON.parse(match[2]!) as string));
    rest = rest.slice(match[0].length);
  }
  parsed.set(expression, fields);
  return fields;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `search(expression, data, options)` as Powertools', for field chains. Custom functions (`options`) are only
 * reached through function calls, which this module refuses, so they are never used.
 */
export function search(expression: string, data: unknown, _options?: { customFunctions?: unknown }): unknown {
  let value: unknown = data;
  for (const field of fieldPath(expression)) {
    value = isObject(value) && Object.hasOwn(value, field) ? value[field] : null;
  }
  return value ?? null;
}

/**
 * `/functions`: Powertools' JMESPath functions (`powertools_json`, `powertools_base64`…). The idempotency
 * configuration makes one by default and compares its class when a persistence layer is shared; only a function
 * call could run one, and `search` refuses those.
 */
export class PowertoolsFunctions {}
