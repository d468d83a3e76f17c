import { JSON_SCHEMA_UNAVAILABLE, unavailable } from './zod-json-schema.ts';

/**
 * Stands in for zod's `v4/core/json-schema-processors.js` in the Lambda bundles
 * (lib/zod-without-json-schema.ts), with its exports. Every schema keeps a `processJSONSchema` closure calling
 * its processor, which only a conversion runs; `allProcessors` and `toJSONSchema` are conversions too.
 */
export {
  unavailable as allProcessors,
  unavailable as anyProcessor,
  unavailable as arrayProcessor,
  unavailable as bigintProcessor,
  unavailable as booleanProcessor,
  unavailable as catchProcessor,
  unavailable as customProcessor,
  unavailable as dateProcessor,
  unavailable as defaultProcessor,
  unavailable as enumProcessor,
  unavailable as fileProcessor,
  unavailable as functionProcessor,
  unavailable as intersectionProcessor,
  unavailable as lazyProcessor,
  unavailable as literalProcessor,
  unavailable as mapProcessor,
  unavailable as nanProcessor,
  unavailable as neverProcessor,
  unavailable as nonoptionalProcessor,
  unavailable as nullableProcessor,
  unavailable as nullProcessor,
  unavailable as numberProcessor,
  unavailable as objectProcessor,
  unavailable as optionalProcessor,
  unavailable as pipeProcessor,
  unavailable as prefaultProcessor,
  unavailable as promiseProcessor,
  unavailable as readonlyProcessor,
  unavailable as recordProcessor,
  unavailable as setProcessor,
  unavailable as stringProcessor,
  unavailable as successProcessor,
  unavailable as symbolProcessor,
  unavailable as templateLiteralProcessor,
  unavailable as toJSONSchema,
  unavailable as transformProcessor,
  unavailable as tupleProcessor,
  unavailable as undefinedProcessor,
  unavailable as unionProcessor,
  unavailable as unknownProcessor,
  unavailable as voidProcessor,
};

/**
 * Zod also derives a few read-only properties from a schema's checks with it, for JSON Schema's keywords:
 * `minLength`, `maxLength` and `format` of strings, `minValue`, `maxValue`, `isInt` and `format` of numbers and
 * bigints, `minDate` and `maxDate` of dates. Nothing in the Lambdas reads them (parsing never does), so they go
 * with the conversion, and say so if ever read.
 */
export function aggregateChecks(): never {
  throw new Error(`${JSON_SCHEMA_UNAVAILABLE}, nor are the bounds zod derives from a schema's checks (minLength, maxLength, minValue, maxValue, isInt, format, minDate, maxDate)`);
}
