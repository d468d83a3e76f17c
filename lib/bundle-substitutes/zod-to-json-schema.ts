import { unavailable } from './zod-json-schema.ts';

/**
 * Stands in for zod's `v4/core/to-json-schema.js` in the Lambda bundles (lib/zod-without-json-schema.ts), with
 * its exports. Zod reaches two of them while a schema is in use: `toJSONSchema()` makes its converter with
 * `createToJSONSchemaMethod` and calls it, and reading a schema's `~standard` (as a Standard Schema consumer
 * does to validate) makes the `jsonSchema.input`/`output` converters with `createStandardJSONSchemaMethod`.
 * Making a converter must succeed; only running one throws.
 */
export const createToJSONSchemaMethod = (): typeof unavailable => unavailable;
export const createStandardJSONSchemaMethod = (): typeof unavailable => unavailable;

export {
  unavailable as extractDefs,
  unavailable as finalize,
  unavailable as handleUnrepresentable,
  unavailable as initializeContext,
  unavailable as process,
  unavailable as processSchema,
};
