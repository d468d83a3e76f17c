import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every handler is bundled: one minified ESM file per function, built by the local esbuild (no Docker).
 *
 * - Everything is bundled, the AWS SDK v3 and Powertools included: esbuild tree-shakes them to the commands a
 *   handler uses, which loads faster at cold start than the runtime's full copy of the SDK, and pins the SDK
 *   version the tests ran against.
 * - ESM output with `module` before `main`, so dependencies that ship ESM are tree-shaken; the banner gives
 *   CommonJS dependencies the `require` that ESM lacks.
 * - A source map beside the bundle, without embedded sources to keep the zip small; with
 *   `NODE_OPTIONS=--enable-source-maps` stack traces name the TypeScript files and lines.
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
};
