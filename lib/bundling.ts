import { join } from 'node:path';
import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { REPO_ROOT } from './repo-root.ts';

/**
 * Modules every Lambda bundle takes from `lib/bundle-substitutes/` instead of the package (esbuild `alias`;
 * paths relative to the repository root, where the CDK runs esbuild). Only the bundles change: tests and the
 * local stack run the real packages. Each substitute says why it is safe on Lambda.
 *
 * - The SDK's default credential chain (`credential-provider-node`) statically pulls SSO, INI, process,
 *   web-identity, login, container and instance-metadata providers with the SSO/STS/Signin clients of
 *   `@aws-sdk/nested-clients`: about 130 KB per bundle. Lambda puts the role's credentials in the
 *   environment, the chain's first link; the substitute is that link alone.
 * - Smithy's event-stream codec (`@smithy/core/event-streams`, about 14 KB) is loaded only by operations
 *   with event streams; none of the operations Hearth calls has one.
 * - Powertools' correlation-id search is a whole JMESPath interpreter (about 23 KB) for field paths like
 *   `requestContext.requestId`; the substitute reads exactly those paths.
 * - The LRU cache behind DynamoDB's endpoint-discovery cache comes with mnemonist's typed-array machinery
 *   (about 7 KB); the substitute is the same LRU on a Map.
 */
export const BUNDLE_SUBSTITUTES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './lib/bundle-substitutes/env-credentials.ts',
  '@smithy/core/event-streams': './lib/bundle-substitutes/no-event-streams.ts',
  '@aws-lambda-powertools/logger/correlationId': './lib/bundle-substitutes/correlation-id.ts',
  'mnemonist/lru-cache': './lib/bundle-substitutes/lru-cache.ts',
};

/**
 * How every handler is bundled: one minified ESM file per function, built by the local esbuild (no Docker).
 *
 * - Everything is bundled, the AWS SDK v3 and Powertools included: esbuild tree-shakes them to the commands a
 *   handler uses, which loads faster at cold start than the runtime's full copy of the SDK, and pins the SDK
 *   version the tests ran against. A few modules are substituted (see BUNDLE_SUBSTITUTES).
 * - ESM output with `module` before `main`, so dependencies that ship ESM are tree-shaken; the banner gives
 *   CommonJS dependencies the `require` that ESM lacks.
 * - A source map beside the bundle, without embedded sources to keep the zip small; with
 *   `NODE_OPTIONS=--enable-source-maps` stack traces name the TypeScript files and lines.
 * - Legal comments go to `index.mjs.LEGAL.txt` beside the bundle rather than into it.
 *
 * The bench and the bundle-size test build with `esbuildOptions`, which reads these same options, so what
 * they measure is what the CDK deploys.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: "import { createRequire as __hearthCreateRequire } from 'node:module'; const require = __hearthCreateRequire(import.meta.url);",
  target: 'node24',
  minify: true,
  sourceMap: true,
  // DEFAULT links the map with a `sourceMappingURL` comment, which `--enable-source-maps` needs to find it.
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  externalModules: [],
  forceDockerBundling: false,
  esbuildArgs: {
    '--alias': Object.entries(BUNDLE_SUBSTITUTES).map(([module, substitute]) => `${module}=${substitute}`),
    '--legal-comments': 'external',
  },
};

/**
 * Most a handler's bundle (`index.mjs`) may weigh, in KB of 1024 bytes as esbuild counts them: less code to
 * read and compile at cold start. test/infra/bundle-size.test.ts holds every function to it; the bench's
 * `bundle` section reports sizes and init times.
 */
export const BUNDLE_BUDGET_KB = 400;

/** The bundle's file name, as the CDK names it for ESM output; Lambda loads `index.handler` from it. */
export const BUNDLE_FILE = 'index.mjs';

/** Options of BundlingOptions that `esbuildOptions` translates; any other one set is an error, not a drift. */
const TRANSLATED = new Set<keyof BundlingOptions>([
  'format', 'mainFields', 'banner', 'footer', 'target', 'minify', 'sourceMap', 'sourceMapMode', 'sourcesContent',
  'externalModules', 'loader', 'define', 'keepNames', 'inject', 'esbuildArgs',
  // No effect on the output.
  'forceDockerBundling', 'logLevel',
]);

const listOf = (value: string | boolean | string[]): string[] => (Array.isArray(value) ? value : [String(value)]);

/**
 * The esbuild JS API options for one entry that produce what the CDK's esbuild command line produces from
 * `bundling` (aws-lambda-nodejs `Bundling.buildEsbuildArgs`: `--bundle <entry> --platform=node --target=…
 * --format=… --outfile=<outdir>/index.mjs …`, run in the repository root). Throws on an option it does not
 * know how to translate, so the CDK and the bench cannot silently disagree.
 */
export function esbuildOptions(entry: string, outdir: string, bundling: BundlingOptions = BUNDLING): BuildOptions {
  const unknown = Object.keys(bundling).filter((k) => bundling[k as keyof BundlingOptions] !== undefined && !TRANSLATED.has(k as keyof BundlingOptions));
  if (unknown.length) throw new Error(`esbuildOptions: no translation for bundling option(s) ${unknown.join(', ')}`);
  if (!bundling.target || !bundling.externalModules) throw new Error('esbuildOptions: set target and externalModules explicitly (their CDK defaults depend on the runtime)');

  const options: BuildOptions = {
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: bundling.target,
    ...(bundling.format ? { format: bundling.format } : {}),
    outfile: join(outdir, bundling.format === OutputFormat.ESM ? BUNDLE_FILE : 'index.js'),
    minify: bundling.minify ?? false,
    external: bundling.externalModules,
    ...(bundling.loader ? { loader: bundling.loader as BuildOptions['loader'] } : {}),
    ...(bundling.define ? { define: bundling.define } : {}),
    keepNames: bundling.keepNames ?? false,
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.footer ? { footer: { js: bundling.footer } } : {}),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    ...(bundling.inject ? { inject: bundling.inject } : {}),
  };
  const sourceMapMode = bundling.sourceMapMode ?? (bundling.sourceMap ? SourceMapMode.DEFAULT : undefined);
  if (sourceMapMode) {
    options.sourcemap = sourceMapMode === SourceMapMode.DEFAULT ? true : sourceMapMode;
    options.sourcesContent = bundling.sourcesContent ?? true;
  }
  for (const [flag, value] of Object.entries(bundling.esbuildArgs ?? {})) {
    switch (flag) {
      case '--alias':
        options.alias = Object.fromEntries(listOf(value).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
        break;
      case '--legal-comments':
        options.legalComments = String(value) as BuildOptions['legalComments'];
        break;
      default:
        throw new Error(`esbuildOptions: no translation for esbuild argument ${flag}`);
    }
  }
  return options;
}
