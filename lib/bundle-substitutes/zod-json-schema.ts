/**
 * What the stand-ins for zod's JSON-Schema modules (lib/zod-without-json-schema.ts) throw. No Lambda converts
 * a schema to JSON Schema (schemas/export-json-schema.ts does, locally, unbundled), so a conversion reaching
 * a bundle is a mistake to report, not to serve.
 */
export const JSON_SCHEMA_UNAVAILABLE = 'JSON Schema conversion is not part of Lambda bundles';

/** Every conversion entry point of the stand-ins is this one function, so they cost no bundle bytes apiece. */
export function unavailable(): never {
  throw new Error(JSON_SCHEMA_UNAVAILABLE);
}
