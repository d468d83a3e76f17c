import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { literalSchemaKeysPlugin } from './literal-schema-keys.ts';
import { REPO_ROOT } from './repo-root.ts';
import { zodWithoutJSONSchemaPlugin } from './zod-without-json-schema.ts';

/**
 * Modules every Lambda bundle takes from `lib/bundle-substitutes/` instead of the package (esbuild `alias`;
 * paths relative to the repository root, esbuild's working directory). Only the bundles change: tests and the
 * local stack run the real packages. Each substitute says why it is safe on Lambda, and
 * test/infra/bundle-substitutes.test.ts holds it to the package it replaces.
 *
 * - The SDK's default credential chain (`credential-provider-node`) statically pulls SSO, INI, process,
 *   web-identity, login, container and instance-metadata providers with the SSO/STS/Signin clients of
 *   `@aws-sdk/nested-clients`: about 130 KB per bundle. Lambda puts the role's credentials in the
 *   environment, the chain's first link; the substitute is that link alone.
 * - Smithy's event-stream codec (`@smithy/core/event-streams`, about 14 KB) is loaded only by operations
 *   with event streams; none of the operations Hearth calls has one.
 * - Powertools' JMESPath package (`@aws-lambda-powertools/jmespath` and its `/functions`) is a whole
 *   interpreter (about 23 KB), loaded by the logger's correlation-id search and by idempotency, and given only
 *   chains of field names: `requestContext.requestId`, `headers."x-amzn-trace-id"`, `id`. The substitute reads
 *   exactly those chains and throws, naming the expression, on any other.
 * - The LRU cache behind DynamoDB's endpoint-discovery cache comes with mnemonist's typed-array machinery
 *   (about 7 KB); the substitute is the same LRU on a Map.
 *
 * Zod's JSON-Schema conversion (about 17 KB) is left out too, by a plugin since zod imports it by relative path
 * (lib/zod-without-json-schema.ts): no Lambda converts a schema to JSON Schema, nor reads the bounds zod derives
 * for it from a schema's checks (`minLength`, `isInt`…); parsing and its error messages use neither. Its
 * stand-ins throw if either is ever reached.
 */
export const BUNDLE_SUBSTITUTES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './lib/bundle-substitutes/env-credentials.ts',
  '@smithy/core/event-streams': './lib/bundle-substitutes/no-event-streams.ts',
  // esbuild takes an exact key before a prefix, so the subpath needs its own key (else: jmespath.ts/functions).
  '@aws-lambda-powertools/jmespath': './lib/bundle-substitutes/jmespath.ts',
  '@aws-lambda-powertools/jmespath/functions': './lib/bundle-substitutes/jmespath.ts',
  'mnemonist/lru-cache': './lib/bundle-substitutes/lru-cache.ts',
};

/**
 * How every handler is bundled: one minified ESM file per function, built by the local esbuild (no Docker).
 *
 * - Everything is bundled, the AWS SDK v3 and Powertools included: esbuild tree-shakes them to the commands a
 *   handler uses, which loads faster at cold start than the runtime's full copy of the SDK, and pins the SDK
 *   version the tests ran against. A few modules are substituted (see BUNDLE_SUBSTITUTES), and zod's JSON-Schema
 *   conversion is left out (lib/zod-without-json-schema.ts).
 * - The SDK clients' schema modules are read with literal keys (lib/literal-schema-keys.ts), so the schemas of
 *   operations a handler never calls are tree-shaken too.
 * - ESM output with `module` before `main`, so dependencies that ship ESM are tree-shaken; the banner gives
 *   CommonJS dependencies the `require` that ESM lacks.
 * - A source map beside the bundle, linked by a `sourceMappingURL` comment and without embedded sources to
 *   keep the zip small; with `NODE_OPTIONS=--enable-source-maps` stack traces name the TypeScript files and
 *   lines.
 * - Legal comments go to `index.mjs.LEGAL.txt` beside the bundle rather than into it.
 *
 * The CDK (lib/hearth-function.ts, through lib/build-handler.ts), the bench and the bundle-size test all build
 * with these options, so what they measure is what is deployed.
 */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    outfile: join(outdir, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __hearthCreateRequire } from 'node:module'; const require = __hearthCreateRequire(import.meta.url);" },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    alias: { ...BUNDLE_SUBSTITUTES },
    legalComments: 'external',
    plugins: [literalSchemaKeysPlugin, zodWithoutJSONSchemaPlugin],
  };
}

/**
 * Most a handler's bundle (`index.mjs`) may weigh, in KB of 1024 bytes as esbuild counts them: less code to
 * read and compile at cold start. test/infra/bundle-size.test.ts holds every function to it; the bench's
 * `bundle` section reports sizes and init times.
 */
export const BUNDLE_BUDGET_KB = 400;

/** The bundle's file name; Lambda loads it as ESM by its extension. */
export const BUNDLE_FILE = 'index.mjs';

/** The Lambda handler setting for the `handler` export of BUNDLE_FILE. */
export const BUNDLE_HANDLER = 'index.handler';
