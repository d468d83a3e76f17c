import { join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { REPO_ROOT } from './repo-root.ts';

/**
 * Zod's JSON-Schema conversion, about 17 KB of every bundle that parses with zod. esbuild cannot drop it:
 * every classic schema has a `toJSONSchema` method, a `~standard.jsonSchema` and a `processJSONSchema` closure
 * that reach it. No Lambda converts a schema (schemas/export-json-schema.ts does, locally, unbundled), so the
 * bundles take stand-ins exporting the same names, which throw when a conversion runs.
 */
export const ZOD_JSON_SCHEMA_STUBS: Readonly<Record<string, string>> = {
  'to-json-schema': 'lib/bundle-substitutes/zod-to-json-schema.ts',
  'json-schema-processors': 'lib/bundle-substitutes/zod-json-schema-processors.ts',
};

/** Zod's own modules, ESM or CommonJS; only imports from them are redirected. */
const ZOD_FILE = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]/;
const CONVERSION_MODULE = /[\\/]zod[\\/]v4[\\/]core[\\/](to-json-schema|json-schema-processors)\.c?js$/;

/**
 * esbuild plugin: zod's imports of its JSON-Schema modules resolved to ZOD_JSON_SCHEMA_STUBS. An alias cannot
 * do it, since zod imports them by relative path; the importer check leaves anything outside zod alone.
 */
export const zodWithoutJSONSchemaPlugin: Plugin = {
  name: 'zod-without-json-schema',
  setup(build) {
    build.onResolve({ filter: /(?:^|\/)(?:to-json-schema|json-schema-processors)\.c?js$/ }, ({ path, importer, resolveDir }) => {
      if (!ZOD_FILE.test(importer)) return undefined;
      const module = CONVERSION_MODULE.exec(resolve(resolveDir, path))?.[1];
      return module ? { path: join(REPO_ROOT, ZOD_JSON_SCHEMA_STUBS[module]!) } : undefined;
    });
  },
};
